using System.Collections.Concurrent;
using System.Globalization;
using KamFlows.Domain.Calendar;
using KamFlows.Domain.Common;
using NodaTime;
using NodaTime.Text;

namespace KamFlows.Infrastructure.Notifications.Templates;

/// <summary>
/// How values look for one recipient: the template language (en, ru, fi, bg; anything else falls back to en), the culture
/// used for dates and numbers (the recipient's own tag when it names a country, e.g. fi-FI, else the language's home
/// culture), and the IANA zone instants are shown in.
/// </summary>
public sealed class LocaleFormat
{
    public static readonly IReadOnlyList<string> Languages = ["en", "ru", "fi", "bg"];

    private static readonly Dictionary<string, string> HomeCulture = new(StringComparer.Ordinal)
    {
        ["en"] = "en-GB",
        ["ru"] = "ru-RU",
        ["fi"] = "fi-FI",
        ["bg"] = "bg-BG",
    };

    private static readonly ConcurrentDictionary<string, (string Symbol, int Digits)> Currencies = new(StringComparer.Ordinal);

    public LocaleFormat(string localeTag, string timeZone)
    {
        var language = Locale.TryParse(localeTag, out var locale) ? locale.Language : "en";
        Language = Languages.Contains(language) ? language : "en";
        Culture = CultureFor(locale, Language);
        Zone = BusinessCalendar.ZoneFromId(timeZone);
    }

    /// <summary>The template language: en, ru, fi or bg.</summary>
    public string Language { get; }

    public CultureInfo Culture { get; }

    public DateTimeZone Zone { get; }

    /// <summary>
    /// A calendar date (ISO yyyy-MM-dd) with the month written out and no weekday, so it reads inside a sentence in every
    /// language ("until 30 April 2026", "до 30 апреля 2026", "30. huhtikuuta 2026 asti"); month names take the genitive form.
    /// </summary>
    public string Date(string isoDate) => Date(LocalDatePattern.Iso.Parse(isoDate).GetValueOrThrow());

    public string Date(LocalDate date) => date.ToDateOnly().ToString(Language == "fi" ? "d'.' MMMM yyyy" : "d MMMM yyyy", Culture);

    /// <summary>An instant as the recipient's wall clock shows it: the date as above and the culture's short time.</summary>
    public string Instant(DateTimeOffset instant)
    {
        var local = NodaTime.Instant.FromDateTimeOffset(instant).InZone(Zone).LocalDateTime;
        var time = local.ToDateTimeUnspecified().ToString("t", Culture);
        return Date(local.Date) + (Language == "fi" ? " klo " : " ") + time;
    }

    /// <summary>An amount with its currency, placed and separated the way the culture writes money.</summary>
    public string Money(decimal amount, string currency)
    {
        var (symbol, digits) = CurrencyStyle(currency);
        var format = (NumberFormatInfo)Culture.NumberFormat.Clone();
        format.CurrencySymbol = symbol;
        format.CurrencyDecimalDigits = digits;
        return amount.ToString("C", format);
    }

    public string Number(decimal value) => value.ToString("#,0.##", Culture);

    /// <summary>A fraction (0.312) as a percentage in this culture (31,2 %).</summary>
    public string Percent(decimal fraction) => (fraction * 100m).ToString("0.#", Culture) + (Language == "en" ? "%" : " %");

    private static CultureInfo CultureFor(Locale? locale, string language)
    {
        if (locale is not null && locale.Tag.Contains('-', StringComparison.Ordinal) && locale.Language == language)
        {
            try
            {
                var specific = CultureInfo.GetCultureInfo(locale.Tag);
                if (!specific.IsNeutralCulture)
                {
                    return specific;
                }
            }
            catch (CultureNotFoundException)
            {
                // An unknown region: the language's home culture will do.
            }
        }

        return CultureInfo.GetCultureInfo(HomeCulture[language]);
    }

    /// <summary>The symbol and minor digits a currency is written with (from a culture whose region uses it), else its ISO code.</summary>
    private static (string Symbol, int Digits) CurrencyStyle(string currency) => Currencies.GetOrAdd(currency, code =>
    {
        foreach (var culture in CultureInfo.GetCultures(CultureTypes.SpecificCultures).OrderBy(c => c.Name, StringComparer.Ordinal))
        {
            RegionInfo region;
            try
            {
                region = new RegionInfo(culture.Name);
            }
            catch (ArgumentException)
            {
                continue;
            }

            if (string.Equals(region.ISOCurrencySymbol, code, StringComparison.Ordinal) && !string.Equals(region.CurrencySymbol, code, StringComparison.Ordinal))
            {
                return (PreferredSymbol(code, region.CurrencySymbol), culture.NumberFormat.CurrencyDecimalDigits);
            }
        }

        return (code, 2);
    });

    // Several regions share a currency and some write it differently (e.g. "US$"); these are the unambiguous forms.
    private static string PreferredSymbol(string code, string found) => code switch
    {
        "EUR" => "€",
        "USD" => "$",
        "GBP" => "£",
        "RUB" => "₽",
        "BGN" => "лв.",
        _ => found,
    };
}
