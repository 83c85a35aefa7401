using System.Text.Json;
using KamFlows.Domain.Accounts;
using KamFlows.Domain.Calendar;

namespace KamFlows.Domain.Events;

/// <summary>
/// Writes event data in exactly the shape <see cref="JsonFieldReader"/> reads: snake_case members,
/// optional members left out when null or empty, so write → parse gives back an equal record.
/// </summary>
internal sealed class JsonDataWriter(Utf8JsonWriter writer)
{
    public void String(string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    public void Date(string name, LocalDate? value)
    {
        if (value is { } date)
        {
            writer.WriteString(name, JsonText.Format(date));
        }
    }

    public void Timestamp(string name, OffsetDateTime? value)
    {
        if (value is { } timestamp)
        {
            writer.WriteString(name, JsonText.Format(timestamp));
        }
    }

    public void Bool(string name, bool value) => writer.WriteBoolean(name, value);

    public void Number(string name, decimal? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    public void Number(string name, int? value)
    {
        if (value is { } number)
        {
            writer.WriteNumber(name, number);
        }
    }

    public void Enum<TEnum>(string name, TEnum? value)
        where TEnum : struct, System.Enum
    {
        if (value is { } v)
        {
            writer.WriteString(name, WireName.Of(v));
        }
    }

    public void EnumList<TEnum>(string name, ValueList<TEnum> values)
        where TEnum : struct, System.Enum => Array(name, values, v => writer.WriteStringValue(WireName.Of(v)));

    public void Strings(string name, ValueList<string> values) => Array(name, values, writer.WriteStringValue);

    public void Dates(string name, IEnumerable<LocalDate> values) => Array(name, values.Order().ToList(), d => writer.WriteStringValue(JsonText.Format(d)));

    public void Url(string name, Uri? value) => String(name, value?.OriginalString);

    public void Money(string name, Money? value)
    {
        if (value is not null)
        {
            writer.WriteStartObject(name);
            writer.WriteNumber("amount", value.Amount);
            writer.WriteString("currency", value.Currency.Code);
            writer.WriteEndObject();
        }
    }

    public void Object(string name, Action<JsonDataWriter>? write)
    {
        if (write is not null)
        {
            writer.WriteStartObject(name);
            write(this);
            writer.WriteEndObject();
        }
    }

    public void Objects<T>(string name, ValueList<T> items, Action<JsonDataWriter, T> write) =>
        Array(name, items, item =>
        {
            writer.WriteStartObject();
            write(this, item);
            writer.WriteEndObject();
        });

    public void TeamMember(string name, TeamMember member)
    {
        writer.WriteStartObject(name);
        String("email", member.Email.Value);
        String("name", member.Name);
        String("title", member.Title);
        String("time_zone", member.TimeZone.Id);
        String("locale", member.Locale.Tag);
        String("country", member.Calendar.Country);
        var calendar = member.Calendar;
        if (!calendar.Equals(new BusinessCalendar(calendar.Zone, national: calendar.National)))
        {
            writer.WriteStartObject("calendar");
            Array("working_days", calendar.WorkingDays.Order().ToList(), d => writer.WriteStringValue(WireName.OfDay(d)));
            writer.WriteStartObject("working_hours");
            String("opens", JsonText.Format(calendar.Hours.Opens));
            String("closes", JsonText.Format(calendar.Hours.Closes));
            writer.WriteEndObject();
            Dates("holidays", calendar.Holidays);
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private void Array<T>(string name, IReadOnlyCollection<T> items, Action<T> write)
    {
        if (items.Count == 0)
        {
            return;
        }

        writer.WriteStartArray(name);
        foreach (var item in items)
        {
            write(item);
        }

        writer.WriteEndArray();
    }
}
