using System.Globalization;
using System.Text.Json;
using KamFlows.Domain.Accounts;
using KamFlows.Domain.Calendar;

namespace KamFlows.Domain.Events;

/// <summary>
/// Reads the members of one JSON object strictly, recording every problem with its JSON path instead of
/// stopping at the first one. Each Required*/Optional* call also marks the member as known;
/// <see cref="Finish"/> then reports unknown and duplicated members (typos must not pass silently).
/// On a problem the returned value is a placeholder; callers discard the result when any error was recorded.
/// </summary>
internal sealed class JsonFieldReader
{
    internal const int MaxNameLength = 500;
    internal const int MaxTextLength = 4000;

    private readonly JsonElement _object;
    private readonly string _path;
    private readonly List<EventValidationError> _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    private JsonFieldReader(JsonElement obj, string path, List<EventValidationError> errors, OffsetDateTime? eventTime)
    {
        _object = obj;
        _path = path;
        _errors = errors;
        EventTime = eventTime;
    }

    private delegate bool ValueParser<T>(JsonElement element, string path, out T value);

    /// <summary>The envelope's <c>time</c> when it is valid, for checks such as "valid until not before the sent date".</summary>
    public OffsetDateTime? EventTime { get; }

    /// <summary>A reader for <paramref name="element"/>, or null (and an error at <paramref name="path"/>) when it is not an object.</summary>
    public static JsonFieldReader? ForObject(JsonElement element, string path, List<EventValidationError> errors, OffsetDateTime? eventTime)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            errors.Add(new(path, $"must be a JSON object, not {Describe(element)}"));
            return null;
        }

        return new JsonFieldReader(element, path, errors, eventTime);
    }

    public string PathOf(string field) => _path.Length == 0 ? field : _path + "." + field;

    public void Error(string field, string message) => _errors.Add(new(PathOf(field), message));

    /// <summary>
    /// Reports members that appear more than once, and members nobody asked for (or hands them to
    /// <paramref name="onUnknown"/>, which the envelope uses for CloudEvents extension attributes).
    /// </summary>
    public void Finish(Action<JsonProperty>? onUnknown = null)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in _object.EnumerateObject())
        {
            if (!seen.Add(property.Name))
            {
                Error(property.Name, "duplicate member");
            }
            else if (!_known.Contains(property.Name))
            {
                if (onUnknown is null)
                {
                    Error(property.Name, "unknown member");
                }
                else
                {
                    onUnknown(property);
                }
            }
        }
    }

    /// <summary>Marks <paramref name="field"/> as known and returns it when present and not null.</summary>
    public bool TryGetRaw(string field, bool required, out JsonElement value) => TryGet(field, required, out value);

    // ---- scalars ----------------------------------------------------------------------------------

    public string RequiredId(string field) => Read<string>(field, required: true, ParseId, out var value) ? value : string.Empty;

    public string? OptionalId(string field) => Read<string>(field, required: false, ParseId, out var value) ? value : null;

    public string RequiredName(string field) => Read<string>(field, required: true, ParseName, out var value) ? value : string.Empty;

    public string? OptionalName(string field) => Read<string>(field, required: false, ParseName, out var value) ? value : null;

    public string? OptionalText(string field) => Read<string>(field, required: false, ParseText, out var value) ? value : null;

    public LocalDate RequiredDate(string field) => Read<LocalDate>(field, required: true, ParseDate, out var value) ? value : default;

    public LocalDate? OptionalDate(string field) => Read<LocalDate>(field, required: false, ParseDate, out var value) ? value : null;

    public OffsetDateTime RequiredTimestamp(string field) => Read<OffsetDateTime>(field, required: true, ParseTimestamp, out var value) ? value : default;

    public OffsetDateTime? OptionalTimestamp(string field) => Read<OffsetDateTime>(field, required: false, ParseTimestamp, out var value) ? value : null;

    public bool RequiredBool(string field) => Read<bool>(field, required: true, ParseBool, out var value) && value;

    public bool OptionalBool(string field, bool defaultValue) => Read<bool>(field, required: false, ParseBool, out var value) ? value : defaultValue;

    public TEnum RequiredEnum<TEnum>(string field)
        where TEnum : struct, Enum => Read<TEnum>(field, required: true, ParseEnum, out var value) ? value : default;

    public TEnum? OptionalEnum<TEnum>(string field)
        where TEnum : struct, Enum => Read<TEnum>(field, required: false, ParseEnum, out var value) ? value : null;

    public CurrencyCode RequiredCurrency(string field) => Read<CurrencyCode>(field, required: true, ParseCurrency, out var value) ? value : CurrencyCode.Eur;

    public EmailAddress? OptionalEmail(string field) => Read<EmailAddress>(field, required: false, ParseEmail, out var value) ? value : null;

    public EmailAddress RequiredEmail(string field) => Read<EmailAddress>(field, required: true, ParseEmail, out var value) ? value : Placeholder.Email;

    public Locale RequiredLocale(string field) => Read<Locale>(field, required: true, ParseLocale, out var value) ? value : Locale.English;

    public DateTimeZone RequiredTimeZone(string field) => Read<DateTimeZone>(field, required: true, ParseTimeZone, out var value) ? value : DateTimeZone.Utc;

    public DateTimeZone? OptionalTimeZone(string field) => Read<DateTimeZone>(field, required: false, ParseTimeZone, out var value) ? value : null;

    public Locale? OptionalLocale(string field) => Read<Locale>(field, required: false, ParseLocale, out var value) ? value : null;

    /// <summary>An ISO 3166-1 alpha-2 country code of the tz database (<c>FI</c>, <c>bg</c> …), returned in upper case.</summary>
    public string? OptionalCountry(string field) => Read<string>(field, required: false, ParseCountry, out var value) ? value : null;

    public Uri? OptionalHttpUrl(string field) => Read<Uri>(field, required: false, ParseHttpUrl, out var value) ? value : null;

    public int RequiredInt(string field, int minimum) => ReadInt(field, required: true, minimum) ?? minimum;

    public int? OptionalInt(string field, int minimum) => ReadInt(field, required: false, minimum);

    private int? ReadInt(string field, bool required, int minimum)
    {
        if (!TryGet(field, required, out var element))
        {
            return null;
        }

        if (element.ValueKind != JsonValueKind.Number)
        {
            Error(field, $"must be a whole number, not {Describe(element)}");
            return null;
        }

        if (!element.TryGetInt32(out var value))
        {
            Error(field, $"must be a whole number (got {element.GetRawText()})");
            return null;
        }

        if (value < minimum)
        {
            Error(field, $"must be at least {minimum} (got {value})");
            return null;
        }

        return value;
    }

    /// <summary>A percentage in [0, <paramref name="exclusiveMaximum"/>).</summary>
    public decimal? OptionalPercent(string field, decimal exclusiveMaximum)
    {
        if (!TryGet(field, required: false, out var element))
        {
            return null;
        }

        if (!TryNumber(element, PathOf(field), out var value))
        {
            return null;
        }

        if (value < 0m || value >= exclusiveMaximum)
        {
            Error(field, $"must be from 0 up to, not including, {JsonText.Format(exclusiveMaximum)} (got {JsonText.Format(value)})");
            return null;
        }

        return value;
    }

    /// <summary>A number in [<paramref name="minimum"/>, <paramref name="maximum"/>] (both included), such as a margin of -100 to 100 %.</summary>
    public decimal? OptionalNumberBetween(string field, decimal minimum, decimal maximum)
    {
        if (!TryGet(field, required: false, out var element) || !TryNumber(element, PathOf(field), out var value))
        {
            return null;
        }

        if (value < minimum || value > maximum)
        {
            Error(field, $"must be from {JsonText.Format(minimum)} to {JsonText.Format(maximum)} (got {JsonText.Format(value)})");
            return null;
        }

        return value;
    }

    /// <summary>An amount that may be negative (a gross margin, a loss): <c>{"amount": -1250.50, "currency": "EUR"}</c>.</summary>
    public Money? OptionalSignedMoney(string field) =>
        OptionalObject(field, reader =>
        {
            var amount = 0m;
            _ = reader.TryGet("amount", required: true, out var amountElement) && reader.TryNumber(amountElement, reader.PathOf("amount"), out amount);
            return new Money(amount, reader.RequiredCurrency("currency"));
        });

    /// <summary>Whether a problem was recorded at <paramref name="field"/> or inside it (cross-field checks skip fields already refused).</summary>
    public bool HasErrorAt(string field)
    {
        var path = PathOf(field);
        return _errors.Any(e => e.Path == path || e.Path.StartsWith(path + ".", StringComparison.Ordinal));
    }

    // ---- objects ----------------------------------------------------------------------------------

    /// <summary><c>{"amount": 1250.50, "currency": "EUR"}</c>; the amount must be a non-negative JSON number.</summary>
    public Money RequiredMoney(string field) => Read<Money>(field, required: true, ParseMoney, out var value) ? value : Placeholder.Money;

    public Money? OptionalMoney(string field) => Read<Money>(field, required: false, ParseMoney, out var value) ? value : null;

    /// <summary>
    /// A person on our side: <c>{"email", "name"?, "title"?, "time_zone", "locale", "country"?, "calendar"?: {"working_days"?,
    /// "working_hours"?: {"opens", "closes"}, "holidays"?}}</c>. The country (else the zone's) brings national holidays;
    /// the calendar's holidays are added to them.
    /// </summary>
    public TeamMember RequiredTeamMember(string field) => Read<TeamMember>(field, required: true, ParseTeamMember, out var value) ? value : Placeholder.TeamMember;

    /// <summary>A nested object read by <paramref name="read"/>, which receives a reader for it.</summary>
    public T? OptionalObject<T>(string field, Func<JsonFieldReader, T> read)
        where T : class =>
        Read(field, required: false, (JsonElement e, string path, out T value) => ParseObject(e, path, read, out value), out var result) ? result : null;

    // ---- arrays -----------------------------------------------------------------------------------

    /// <summary>An optional array of distinct values; absent or null reads as empty.</summary>
    public ValueList<TEnum> OptionalEnumSet<TEnum>(string field)
        where TEnum : struct, Enum => ReadArray<TEnum>(field, ParseEnum, distinct: true);

    public ValueList<string> OptionalIdSet(string field) => ReadArray<string>(field, ParseId, distinct: true);

    public ValueList<string> OptionalTextList(string field) => ReadArray<string>(field, ParseName, distinct: false);

    public ValueList<LocalDate> OptionalDateSet(string field) => ReadArray<LocalDate>(field, ParseDate, distinct: true);

    public ValueList<T> OptionalObjectList<T>(string field, Func<JsonFieldReader, T> read)
        where T : class => ReadArray(field, (JsonElement e, string path, out T value) => ParseObject(e, path, read, out value), distinct: false);

    // ---- machinery --------------------------------------------------------------------------------

    private static string Describe(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => element.ValueKind.ToString(),
    };

    private static string Quote(string text) => text.Length > 60 ? $"'{text[..57]}...'" : $"'{text}'";

    private bool TryGet(string field, bool required, out JsonElement value)
    {
        _known.Add(field);
        if (!_object.TryGetProperty(field, out value))
        {
            if (required)
            {
                Error(field, "required");
            }

            return false;
        }

        if (value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Error(field, "required, must not be null");
            }

            return false;
        }

        return true;
    }

    private bool Read<T>(string field, bool required, ValueParser<T> parse, [MaybeNullWhen(false)] out T value)
    {
        value = default;
        return TryGet(field, required, out var element) && parse(element, PathOf(field), out value);
    }

    private ValueList<T> ReadArray<T>(string field, ValueParser<T> parse, bool distinct)
    {
        if (!TryGet(field, required: false, out var element))
        {
            return ValueList.Empty<T>();
        }

        var path = PathOf(field);
        if (element.ValueKind != JsonValueKind.Array)
        {
            Add(path, $"must be an array, not {Describe(element)}");
            return ValueList.Empty<T>();
        }

        var items = new List<T>();
        var index = 0;
        foreach (var item in element.EnumerateArray())
        {
            var itemPath = string.Create(CultureInfo.InvariantCulture, $"{path}[{index}]");
            if (item.ValueKind == JsonValueKind.Null)
            {
                Add(itemPath, "must not be null");
            }
            else if (parse(item, itemPath, out var value))
            {
                if (distinct && items.Contains(value))
                {
                    Add(itemPath, $"duplicate {Quote(item.ToString())}");
                }
                else
                {
                    items.Add(value);
                }
            }

            index++;
        }

        return items.ToValueList();
    }

    private void Add(string path, string message) => _errors.Add(new(path, message));

    private bool TryString(JsonElement element, string path, out string value)
    {
        if (element.ValueKind != JsonValueKind.String)
        {
            Add(path, $"must be a string, not {Describe(element)}");
            value = string.Empty;
            return false;
        }

        value = element.GetString()!;
        return true;
    }

    private bool TryNumber(JsonElement element, string path, out decimal value)
    {
        value = 0m;
        if (element.ValueKind != JsonValueKind.Number)
        {
            Add(path, $"must be a number, not {Describe(element)}");
            return false;
        }

        if (!element.TryGetDecimal(out value))
        {
            Add(path, $"is out of the decimal range ({element.GetRawText()})");
            return false;
        }

        return true;
    }

    private bool ParseId(JsonElement element, string path, out string value)
    {
        if (!TryString(element, path, out value))
        {
            return false;
        }

        if (EntityId.Problem(value) is { } problem)
        {
            Add(path, problem);
            return false;
        }

        return true;
    }

    private bool ParseName(JsonElement element, string path, out string value) => ParseString(element, path, MaxNameLength, out value);

    private bool ParseText(JsonElement element, string path, out string value) => ParseString(element, path, MaxTextLength, out value);

    private bool ParseString(JsonElement element, string path, int maxLength, out string value)
    {
        if (!TryString(element, path, out value))
        {
            return false;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            Add(path, "must not be empty");
            return false;
        }

        if (value.Length > maxLength)
        {
            Add(path, $"must be at most {maxLength} characters (got {value.Length})");
            return false;
        }

        return true;
    }

    private bool ParseDate(JsonElement element, string path, out LocalDate value)
    {
        value = default;
        if (!TryString(element, path, out var text))
        {
            return false;
        }

        var result = JsonText.Date.Parse(text);
        if (!result.Success)
        {
            Add(path, $"must be an ISO 8601 date such as 2026-03-01 (got {Quote(text)})");
            return false;
        }

        if (!EventDateRange.Contains(result.Value))
        {
            Add(path, $"{EventDateRange.Problem} (got {Quote(text)})");
            return false;
        }

        value = result.Value;
        return true;
    }

    private bool ParseTimestamp(JsonElement element, string path, out OffsetDateTime value)
    {
        value = default;
        if (!TryString(element, path, out var text))
        {
            return false;
        }

        var result = JsonText.Timestamp.Parse(text);
        if (!result.Success)
        {
            Add(path, $"must be an RFC 3339 timestamp with an offset such as 2026-03-10T09:30:00+02:00 (got {Quote(text)})");
            return false;
        }

        if (!EventDateRange.Contains(result.Value))
        {
            Add(path, $"{EventDateRange.Problem} (got {Quote(text)})");
            return false;
        }

        value = result.Value;
        return true;
    }

    private bool ParseBool(JsonElement element, string path, out bool value)
    {
        value = element.ValueKind == JsonValueKind.True;
        if (element.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            return true;
        }

        Add(path, $"must be true or false, not {Describe(element)}");
        return false;
    }

    private bool ParseEnum<TEnum>(JsonElement element, string path, out TEnum value)
        where TEnum : struct, Enum
    {
        value = default;
        if (!TryString(element, path, out var text))
        {
            return false;
        }

        if (!WireName.TryParse(text, out value))
        {
            Add(path, $"must be one of {string.Join(", ", WireName.All<TEnum>())} (got {Quote(text)})");
            return false;
        }

        return true;
    }

    private bool ParseCurrency(JsonElement element, string path, out CurrencyCode value)
    {
        value = CurrencyCode.Eur;
        if (!TryString(element, path, out var text))
        {
            return false;
        }

        if (!CurrencyCode.TryParse(text, out var currency))
        {
            Add(path, $"must be an ISO 4217 currency code such as EUR (got {Quote(text)})");
            return false;
        }

        value = currency;
        return true;
    }

    private bool ParseEmail(JsonElement element, string path, out EmailAddress value)
    {
        value = Placeholder.Email;
        if (!TryString(element, path, out var text))
        {
            return false;
        }

        if (!EmailAddress.TryParse(text, out var email))
        {
            Add(path, $"must be an email address such as name@example.com (got {Quote(text)})");
            return false;
        }

        value = email;
        return true;
    }

    private bool ParseLocale(JsonElement element, string path, out Locale value)
    {
        value = Locale.English;
        if (!TryString(element, path, out var text))
        {
            return false;
        }

        if (!Locale.TryParse(text, out var locale))
        {
            Add(path, $"must be a language tag such as en or fi-FI (got {Quote(text)})");
            return false;
        }

        value = locale;
        return true;
    }

    private bool ParseTimeZone(JsonElement element, string path, out DateTimeZone value)
    {
        value = DateTimeZone.Utc;
        if (!TryString(element, path, out var text))
        {
            return false;
        }

        if (DateTimeZoneProviders.Tzdb.GetZoneOrNull(text) is not { } zone)
        {
            Add(path, $"must be an IANA time zone id such as Europe/Helsinki (got {Quote(text)})");
            return false;
        }

        value = zone;
        return true;
    }

    private bool ParseCountry(JsonElement element, string path, out string value)
    {
        value = string.Empty;
        if (!TryString(element, path, out var text))
        {
            return false;
        }

        if (!NationalHolidays.IsKnownCountry(text))
        {
            Add(path, $"must be an ISO 3166-1 alpha-2 country code such as FI, RU or BG (got {Quote(text)})");
            return false;
        }

        value = text.ToUpperInvariant();
        return true;
    }

    private bool ParseHttpUrl(JsonElement element, string path, out Uri value)
    {
        value = Placeholder.Url;
        if (!TryString(element, path, out var text))
        {
            return false;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            Add(path, $"must be an absolute http(s) URL (got {Quote(text)})");
            return false;
        }

        value = uri;
        return true;
    }

    private bool ParseObject<T>(JsonElement element, string path, Func<JsonFieldReader, T> read, out T value)
        where T : class
    {
        value = null!;
        if (ForObject(element, path, _errors, EventTime) is not { } reader)
        {
            return false;
        }

        var before = _errors.Count;
        value = read(reader);
        reader.Finish();
        return _errors.Count == before;
    }

    private bool ParseMoney(JsonElement element, string path, out Money value) =>
        ParseObject(element, path, ReadMoney, out value);

    private Money ReadMoney(JsonFieldReader reader)
    {
        var amount = 0m;
        if (reader.TryGet("amount", required: true, out var amountElement) && reader.TryNumber(amountElement, reader.PathOf("amount"), out amount) && amount < 0m)
        {
            reader.Error("amount", $"must not be negative (got {JsonText.Format(amount)})");
        }

        return new Money(amount, reader.RequiredCurrency("currency"));
    }

    private bool ParseTeamMember(JsonElement element, string path, out TeamMember value) =>
        ParseObject(element, path, ReadTeamMember, out value);

    private TeamMember ReadTeamMember(JsonFieldReader reader)
    {
        var email = reader.RequiredEmail("email");
        var name = reader.OptionalName("name");
        var title = reader.OptionalName("title");
        var zone = reader.RequiredTimeZone("time_zone");
        var locale = reader.RequiredLocale("locale");
        var country = reader.OptionalCountry("country");
        var calendar = reader.OptionalObject("calendar", r => ReadCalendar(r, zone, country)) ?? BusinessCalendar.ForPerson(zone, country);
        return new TeamMember(email, locale, calendar, name, title);
    }

    private static BusinessCalendar ReadCalendar(JsonFieldReader reader, DateTimeZone zone, string? country)
    {
        var days = reader.ReadArray<IsoDayOfWeek>("working_days", reader.ParseDay, distinct: true);
        if (reader._object.TryGetProperty("working_days", out var daysElement) && daysElement.ValueKind == JsonValueKind.Array && daysElement.GetArrayLength() == 0)
        {
            reader.Error("working_days", "must name at least one day (mon … sun)");
        }

        var hours = reader.OptionalObject("working_hours", ReadWorkingHours);
        var holidays = reader.OptionalDateSet("holidays");
        return BusinessCalendar.ForPerson(zone, country, hours, days.Count == 0 ? null : days, holidays);
    }

    private static WorkingHours ReadWorkingHours(JsonFieldReader reader)
    {
        var opens = reader.Read<LocalTime>("opens", required: true, reader.ParseTimeOfDay, out var o) ? o : (LocalTime?)null;
        var closes = reader.Read<LocalTime>("closes", required: true, reader.ParseTimeOfDay, out var c) ? c : (LocalTime?)null;
        if (opens is { } open && closes is { } close)
        {
            if (open < close)
            {
                return new WorkingHours(open, close);
            }

            reader.Error("closes", $"must be after opens ({JsonText.Format(open)})");
        }

        return WorkingHours.NineToSix;
    }

    private bool ParseDay(JsonElement element, string path, out IsoDayOfWeek value)
    {
        value = IsoDayOfWeek.None;
        if (!TryString(element, path, out var text))
        {
            return false;
        }

        if (!WireName.TryParseDay(text, out value))
        {
            Add(path, $"must be one of mon, tue, wed, thu, fri, sat, sun (got {Quote(text)})");
            return false;
        }

        return true;
    }

    private bool ParseTimeOfDay(JsonElement element, string path, out LocalTime value)
    {
        value = default;
        if (!TryString(element, path, out var text))
        {
            return false;
        }

        var result = JsonText.TimeOfDay.Parse(text);
        if (!result.Success)
        {
            Add(path, $"must be a local time HH:mm such as 09:00 (got {Quote(text)})");
            return false;
        }

        value = result.Value;
        return true;
    }

    /// <summary>Stand-ins returned next to a recorded error; never reach a valid event.</summary>
    private static class Placeholder
    {
        public static readonly EmailAddress Email = EmailAddress.Parse("invalid@invalid.invalid");
        public static readonly Money Money = new(0m, CurrencyCode.Eur);
        public static readonly Uri Url = new("https://invalid.invalid/");
        public static readonly TeamMember TeamMember = new(Email, Locale.English, new BusinessCalendar(DateTimeZone.Utc));
    }
}
