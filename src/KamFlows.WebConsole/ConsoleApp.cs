// The console's one entry point. Both hosts hand it every request under their console path (/console locally,
// /api/console in the Functions app) with the host's DurableTaskClient; it answers with an IResult. Invariants: every
// response carries the security headers below; a POST changes nothing unless its anti-forgery token is valid; no page
// renders without a signed-in user.
using KamFlows.WebConsole.Auth;
using KamFlows.WebConsole.Pages;
using KamFlows.WebConsole.Web;
using KamFlows.Infrastructure.Notifications.Digests;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;

namespace KamFlows.WebConsole;

public static class ConsoleApp
{
    public const string LanguageCookie = "kamflows.lang";
    public const string ZoneCookie = "kamflows.tz";

    /// <summary>No inline script or style, nothing from elsewhere; forms post only here; no framing.</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-src 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static async Task<IResult> HandleAsync(HttpContext http, string? path, DurableTaskClient client)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(client);
        var headers = http.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "same-origin";
        headers.CacheControl = "no-store";

        var segments = (path ?? string.Empty).Split('/', StringSplitOptions.RemoveEmptyEntries).Select(Uri.UnescapeDataString).ToList();
        var basePath = BasePath(http);
        if (segments is ["static", var file])
        {
            return StaticFiles.Serve(file);
        }

        var identity = http.RequestServices.GetRequiredService<ConsoleIdentity>();
        var user = identity.Resolve(http);
        if (user is not null)
        {
            http.User = ConsoleIdentity.Principal(user);
        }

        var viewer = new Viewer(user, Language(http), await ZoneAsync(http, user, identity.Options), http.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow(), basePath);
        var request = new ConsoleRequest(http, viewer, segments, client);
        var isPost = HttpMethods.IsPost(http.Request.Method);
        if (isPost && !await ValidAntiforgeryAsync(http))
        {
            return Layout.Message(request, StatusCodes.Status400BadRequest, "bad_request_title", viewer.T("antiforgery_failed"));
        }

        if (segments is ["signin"])
        {
            return await SignInPage.HandleAsync(request, identity, isPost);
        }

        if (segments is ["prefs"] && isPost)
        {
            return await SetPreferencesAsync(request);
        }

        if (user is null)
        {
            return identity.Options.LocalSignIn ? Results.Redirect(viewer.Link("signin") + "?return=" + Uri.EscapeDataString(request.Here))
                : identity.Options.TrustEasyAuthPrincipal ? Results.Redirect("/.auth/login/aad?post_login_redirect_uri=" + Uri.EscapeDataString(request.Here))
                : Layout.Message(request, StatusCodes.Status401Unauthorized, "sign_in_title", viewer.T("no_sign_in_configured"));
        }

        if (user.Roles == ConsoleRoles.None)
        {
            return Layout.Forbidden(request);
        }

        return (segments, isPost) switch
        {
            (["signout"], true) => SignOut(request),
            ([], false) => Results.Redirect(viewer.Link(user.IsHead ? "portfolio" : user.IsKam ? "week" : user.IsOperator ? "workflows" : "accounts")),
            (["portfolio"], false) => await PortfolioPage.RenderAsync(request),
            (["accounts"], false) => await AccountListPage.RenderAsync(request),
            (["accounts", var id], false) => await AccountPage.RenderAsync(request, id),
            (["week"], false) => await WeekPage.RenderAsync(request),
            (["workflows"], false) => await WorkflowsPage.ListAsync(request),
            (["workflows", var id], false) => await WorkflowsPage.DetailAsync(request, id),
            (["workflows", var id, var action], _) => await WorkflowsPage.ActionAsync(request, id, action, isPost),
            (["email"], false) => await EmailPage.ListAsync(request),
            (["email", "preferences"], true) => await EmailPage.SetPreferenceAsync(request),
            (["email", var id], false) => await EmailPage.PreviewAsync(request, id),
            _ => Layout.NotFound(request, "/" + string.Join('/', segments)),
        };
    }

    /// <summary>The console's base path: everything up to and including the "console" segment of the request path.</summary>
    public static string BasePath(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var full = (http.Request.PathBase + http.Request.Path).Value ?? "/console";
        var at = full.IndexOf("/console", StringComparison.OrdinalIgnoreCase);
        return at < 0 ? "/console" : full[..(at + "/console".Length)];
    }

    private static async Task<bool> ValidAntiforgeryAsync(HttpContext http)
    {
        try
        {
            await http.RequestServices.GetRequiredService<IAntiforgery>().ValidateRequestAsync(http);
            return true;
        }
        catch (AntiforgeryValidationException)
        {
            return false;
        }
    }

    private static string Language(HttpContext http)
    {
        if (http.Request.Cookies[LanguageCookie] is { } chosen && Viewer.Languages.Contains(chosen))
        {
            return chosen;
        }

        // Accept-Language in the browser's order of preference: the first of ours it names.
        var accepted = Microsoft.Net.Http.Headers.StringWithQualityHeaderValue.ParseList(http.Request.Headers.AcceptLanguage.Where(h => h is not null).Select(h => h!).ToList())
            .OrderByDescending(l => l.Quality ?? 1).Select(l => l.Value.Value?.Split('-')[0].ToLowerInvariant());
        return accepted.FirstOrDefault(l => l is not null && Viewer.Languages.Contains(l)) ?? "en";
    }

    private static async Task<DateTimeZone> ZoneAsync(HttpContext http, ConsoleUser? user, ConsoleOptions options)
    {
        var zones = DateTimeZoneProviders.Tzdb;
        if (http.Request.Cookies[ZoneCookie] is { } chosen && zones.GetZoneOrNull(chosen) is { } zone)
        {
            return zone;
        }

        if (user is not null && http.RequestServices.GetService<RecipientDirectory>() is { } recipients
            && await recipients.GetAsync(user.Email, http.RequestAborted) is { } registered && zones.GetZoneOrNull(registered.TimeZone) is { } own)
        {
            return own;
        }

        return zones.GetZoneOrNull(options.DefaultTimeZone) ?? DateTimeZone.Utc;
    }

    private static async Task<IResult> SetPreferencesAsync(ConsoleRequest request)
    {
        var form = await request.Http.Request.ReadFormAsync(request.Aborted);
        var cookies = request.Http.Response.Cookies;
        var options = new CookieOptions { Path = "/", SameSite = SameSiteMode.Lax, MaxAge = TimeSpan.FromDays(365), HttpOnly = true, Secure = request.Http.Request.IsHttps };
        if (form["lang"].ToString() is var lang && Viewer.Languages.Contains(lang))
        {
            cookies.Append(LanguageCookie, lang, options);
        }

        if (form["tz"].ToString() is { Length: > 0 } tz && DateTimeZoneProviders.Tzdb.GetZoneOrNull(tz) is not null)
        {
            cookies.Append(ZoneCookie, tz, options);
        }

        return Results.Redirect(LocalReturn(request, form["return"].ToString()));
    }

    private static IResult SignOut(ConsoleRequest request)
    {
        ConsoleIdentity.SignOut(request.Http);
        return Results.Redirect(request.Viewer.Link("signin"));
    }

    /// <summary>A return address inside the console only (no open redirect).</summary>
    internal static string LocalReturn(ConsoleRequest request, string? target) =>
        target is { Length: > 0 } t && t.StartsWith(request.Viewer.BasePath, StringComparison.Ordinal) && !t.StartsWith("//", StringComparison.Ordinal) && !t.Contains('\\', StringComparison.Ordinal)
            ? t : request.Viewer.Link("");
}
