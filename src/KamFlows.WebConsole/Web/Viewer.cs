using System.Globalization;
using KamFlows.WebConsole.Auth;
using NodaTime;
using NodaTime.Text;

namespace KamFlows.WebConsole.Web;

/// <summary>
/// Who is looking and how they read: the signed-in user, their language (en, ru, fi, bg) and time zone. Every time on a
/// page goes through <c>Time</c>, which writes it in the viewer's zone and names the zone.
/// </summary>
public sealed class Viewer
{
    public static readonly IReadOnlyList<string> Languages = ["en", "ru", "fi", "bg"];

    public Viewer(ConsoleUser? user, string language, DateTimeZone zone, DateTimeOffset now, string basePath)
    {
        User = user;
        Language = Languages.Contains(language) ? language : "en";
        Culture = CultureInfo.GetCultureInfo(Language switch { "ru" => "ru-RU", "fi" => "fi-FI", "bg" => "bg-BG", _ => "en-GB" });
        Zone = zone ?? throw new ArgumentNullException(nameof(zone));
        Now = now;
        BasePath = basePath;
    }

    public ConsoleUser? User { get; }

    public string Language { get; }

    public CultureInfo Culture { get; }

    public DateTimeZone Zone { get; }

    public DateTimeOffset Now { get; }

    /// <summary>Where the console is served: <c>/console</c> locally, <c>/api/console</c> in the Functions app.</summary>
    public string BasePath { get; }

    public LocalDate Today => Instant.FromDateTimeOffset(Now).InZone(Zone).Date;

    public string T(string key) => Strings.Get(Language, key);

    /// <summary>A word for a value from data (a stage, a role, a status): localized when known, the value itself otherwise.</summary>
    public string Term(string prefix, object? value)
    {
        var wire = Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;
        return Strings.TryGet(Language, prefix + wire) ?? wire.Replace('_', ' ');
    }

    public string T(string key, params object?[] args) => string.Format(Culture, Strings.Get(Language, key), args);

    /// <summary>A link inside the console (path segments already escaped by the caller).</summary>
    public string Link(string relative) => BasePath + "/" + relative.TrimStart('/');

    /// <summary>A console link with a query: each value URL-encoded (an email's "+" stays a "+"), empty ones left out.</summary>
    public string Link(string relative, params (string Name, string? Value)[] query)
    {
        var pairs = query.Where(q => !string.IsNullOrEmpty(q.Value)).Select(q => q.Name + "=" + Uri.EscapeDataString(q.Value!)).ToList();
        return Link(relative) + (pairs.Count == 0 ? string.Empty : "?" + string.Join('&', pairs));
    }

    public LocalDateTime Local(DateTimeOffset time) => Instant.FromDateTimeOffset(time).InZone(Zone).LocalDateTime;

    public LocalDate DateOf(DateTimeOffset time) => Local(time).Date;

    /// <summary>"4 Dec 2026, 09:00 Europe/Helsinki": the viewer's zone, named.</summary>
    public string Time(DateTimeOffset time)
    {
        var local = Local(time);
        return local.ToString("d MMM uuuu, HH:mm", Culture) + " " + Zone.Id;
    }

    public string Time(DateTimeOffset? time) => time is { } t ? Time(t) : "—";

    public string Date(LocalDate date) => date.ToString("d MMM uuuu", Culture);

    public string Date(string? isoDate) =>
        LocalDatePattern.Iso.Parse(isoDate ?? string.Empty) is { Success: true } d ? Date(d.Value) : isoDate ?? "—";

    public string DayHeading(LocalDate date) => date.ToString("dddd d MMMM uuuu", Culture);

    public string Percent(decimal fraction, int decimals = 1) => (fraction * 100m).ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Culture) + " %";

    public string Money(decimal amount, string currency) => amount.ToString("N0", Culture) + " " + currency;

    public string Number(int value) => value.ToString("N0", Culture);
}
