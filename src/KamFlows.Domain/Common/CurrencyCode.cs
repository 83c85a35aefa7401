using System.Collections.Frozen;

namespace KamFlows.Domain.Common;

/// <summary>
/// An ISO 4217 currency code of a circulating currency (e.g. <c>EUR</c>).
/// Invariant: three upper-case letters present in the ISO 4217 list below; precious metals,
/// testing and fund codes like XAU, XTS, XXX are not money a client pays with and are rejected.
/// </summary>
public sealed record CurrencyCode
{
    // ISO 4217 list one (active codes) as of 2025, including XCG (2025) and ZWG (2024);
    // BGN stays because revenue reported before Bulgaria's euro changeover is still in BGN.
    private static readonly FrozenSet<string> Known = new[]
    {
        "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT", "BGN",
        "BHD", "BIF", "BMD", "BND", "BOB", "BOV", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD", "CDF",
        "CHE", "CHF", "CHW", "CLF", "CLP", "CNY", "COP", "COU", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK",
        "DOP", "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF",
        "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
        "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR", "LRD",
        "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR", "MWK", "MXN",
        "MXV", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN", "PGK", "PHP",
        "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR", "SDG", "SEK", "SGD",
        "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB", "TJS", "TMT", "TND", "TOP",
        "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "USN", "UYI", "UYU", "UYW", "UZS", "VED", "VES",
        "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWG",
    }.ToFrozenSet(StringComparer.Ordinal);

    public static readonly CurrencyCode Eur = new("EUR");
    public static readonly CurrencyCode Usd = new("USD");
    public static readonly CurrencyCode Rub = new("RUB");
    public static readonly CurrencyCode Bgn = new("BGN");

    private CurrencyCode(string code) => Code = code;

    public string Code { get; }

    public static bool IsKnown(string? code) => code is not null && Known.Contains(code);

    public static bool TryParse(string? code, [NotNullWhen(true)] out CurrencyCode? currency)
    {
        currency = IsKnown(code) ? new CurrencyCode(code!) : null;
        return currency is not null;
    }

    /// <exception cref="ArgumentException">The code is not an upper-case ISO 4217 currency code.</exception>
    public static CurrencyCode Parse(string code) =>
        TryParse(code, out var currency)
            ? currency
            : throw new ArgumentException($"'{code}' is not an ISO 4217 currency code (three upper-case letters, e.g. EUR).", nameof(code));

    public override string ToString() => Code;
}
