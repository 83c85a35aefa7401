using System.Text.Json.Serialization;

namespace KamFlows.Workflows.Notifications;

/// <summary>Kinds of template values; each is formatted for the recipient's locale and time zone when rendered.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TemplateValueKind>))]
public enum TemplateValueKind
{
    /// <summary>Plain text (HTML-escaped when rendered).</summary>
    Text,

    /// <summary>A number.</summary>
    Number,

    /// <summary>An amount with an ISO 4217 currency.</summary>
    Money,

    /// <summary>A calendar date (no time, no zone).</summary>
    Date,

    /// <summary>An instant, shown in the recipient's time zone.</summary>
    Instant,

    /// <summary>A list of texts.</summary>
    List,

    /// <summary>A list of rows, each a set of named values (e.g. the agenda's tasks).</summary>
    Table,
}

/// <summary>
/// A value for a notification template, kept typed until rendering so dates, times and money are formatted for the
/// recipient (locale, time zone). Serializable as activity input and as an outbox row.
/// </summary>
public sealed record TemplateValue
{
    public required TemplateValueKind Kind { get; init; }

    public string? Text { get; init; }

    public decimal? Number { get; init; }

    /// <summary>ISO 4217 code for <see cref="TemplateValueKind.Money"/>.</summary>
    public string? Currency { get; init; }

    /// <summary>ISO date (yyyy-MM-dd) for <see cref="TemplateValueKind.Date"/>.</summary>
    public string? Date { get; init; }

    public DateTimeOffset? Instant { get; init; }

    public IReadOnlyList<string>? Items { get; init; }

    public IReadOnlyList<IReadOnlyDictionary<string, TemplateValue>>? Rows { get; init; }

    public static TemplateValue OfText(string text) => new() { Kind = TemplateValueKind.Text, Text = text };

    public static TemplateValue OfNumber(decimal number) => new() { Kind = TemplateValueKind.Number, Number = number };

    public static TemplateValue OfMoney(decimal amount, string currency) => new() { Kind = TemplateValueKind.Money, Number = amount, Currency = currency };

    public static TemplateValue OfDate(DateOnly date) => new() { Kind = TemplateValueKind.Date, Date = date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) };

    public static TemplateValue OfInstant(DateTimeOffset instant) => new() { Kind = TemplateValueKind.Instant, Instant = instant };

    public static TemplateValue OfList(IEnumerable<string> items) => new() { Kind = TemplateValueKind.List, Items = [.. items] };

    /// <summary>A value that is not known (revenue not reported, no meeting held yet): templates say so instead of printing 0 or a made-up date.</summary>
    public static TemplateValue OfUnknown(TemplateValueKind kind) => new() { Kind = kind };

    public static TemplateValue OfTable(IEnumerable<IReadOnlyDictionary<string, TemplateValue>> rows) => new() { Kind = TemplateValueKind.Table, Rows = [.. rows] };
}
