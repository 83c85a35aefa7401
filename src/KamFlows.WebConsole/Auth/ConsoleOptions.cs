namespace KamFlows.WebConsole.Auth;

/// <summary>
/// How the console knows who is looking (section <c>KamFlows:Console</c>). In Azure, App Service Authentication signs
/// people in with Entra ID and passes the principal in <c>X-MS-CLIENT-PRINCIPAL</c>; the app reads that header only when
/// <see cref="TrustEasyAuthPrincipal"/> is set, because anyone can send it to an app that Easy Auth does not front.
/// Locally, <see cref="LocalSignIn"/> lets a newcomer pick a person and a role on a page; it is off unless a host turns it on.
/// </summary>
public sealed class ConsoleOptions
{
    public const string Section = "KamFlows:Console";

    /// <summary>Read the signed-in principal from <c>X-MS-CLIENT-PRINCIPAL</c> (only behind App Service Authentication).</summary>
    public bool TrustEasyAuthPrincipal { get; set; }

    /// <summary>Offer the local sign-in page (choose any person and role): for a laptop, never for a deployed app.</summary>
    public bool LocalSignIn { get; set; }

    /// <summary>Zone shown when the viewer chose none and their email has no registered zone.</summary>
    public string DefaultTimeZone { get; set; } = "UTC";

    /// <summary>How long the portfolio-wide figures (accounts, classification, pipeline) are reused between pages; 0 reads them for every page.</summary>
    public int PortfolioCacheSeconds { get; set; } = 30;

    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        if (NodaTime.DateTimeZoneProviders.Tzdb.GetZoneOrNull(DefaultTimeZone) is null)
        {
            errors.Add($"{Section}:{nameof(DefaultTimeZone)} '{DefaultTimeZone}' is not an IANA time zone such as Europe/Helsinki.");
        }

        if (PortfolioCacheSeconds is < 0 or > 3600)
        {
            errors.Add($"{Section}:{nameof(PortfolioCacheSeconds)} must be 0–3600 (got {PortfolioCacheSeconds}).");
        }

        if (TrustEasyAuthPrincipal && LocalSignIn)
        {
            errors.Add($"{Section}: {nameof(TrustEasyAuthPrincipal)} and {nameof(LocalSignIn)} cannot both be on: behind App Service Authentication the local sign-in would let anyone choose a role.");
        }

        return errors;
    }
}
