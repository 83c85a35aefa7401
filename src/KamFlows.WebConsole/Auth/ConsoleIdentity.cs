// Who is signed in. Two sources, never both: App Service Authentication's X-MS-CLIENT-PRINCIPAL header (trusted only
// when configured, since Easy Auth strips a client's own copy of it only where Easy Auth is in front), or the local
// sign-in cookie, whose content is protected by ASP.NET Core Data Protection (tampering makes it unreadable).
using System.Security.Claims;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;

namespace KamFlows.WebConsole.Auth;

public sealed class ConsoleIdentity(ConsoleOptions options, IDataProtectionProvider protection)
{
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL";
    public const string CookieName = "kamflows.console.user";
    private const string RolesClaim = "roles";
    private static readonly string[] EmailClaims =
    [
        "preferred_username", "email", "emails", ClaimTypes.Email, ClaimTypes.Upn, "upn", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name",
    ];

    private readonly IDataProtector _protector = protection.CreateProtector("KamFlows.WebConsole.LocalSignIn.v1");

    public ConsoleOptions Options => options;

    /// <summary>The signed-in user, or null.</summary>
    public ConsoleUser? Resolve(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (options.TrustEasyAuthPrincipal)
        {
            return http.Request.Headers[PrincipalHeader].ToString() is { Length: > 0 } header ? FromEasyAuth(header) : null;
        }

        if (options.LocalSignIn && http.Request.Cookies[CookieName] is { Length: > 0 } cookie)
        {
            try
            {
                var stored = JsonSerializer.Deserialize<StoredUser>(_protector.Unprotect(cookie));
                return stored is null ? null : new ConsoleUser(stored.Email, stored.Name, (ConsoleRoles)stored.Roles & (ConsoleRoles.Kam | ConsoleRoles.Head | ConsoleRoles.Operator));
            }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or JsonException or FormatException)
            {
                return null; // Unreadable (tampered, or keys changed): signed out.
            }
        }

        return null;
    }

    /// <summary>Signs in locally (only when <see cref="ConsoleOptions.LocalSignIn"/> is on).</summary>
    public void SignInLocally(HttpContext http, ConsoleUser user)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(user);
        if (!options.LocalSignIn)
        {
            throw new InvalidOperationException("Local sign-in is off.");
        }

        var value = _protector.Protect(JsonSerializer.Serialize(new StoredUser(user.Email, user.Name, (int)user.Roles)));
        http.Response.Cookies.Append(CookieName, value, new CookieOptions
        {
            HttpOnly = true, SameSite = SameSiteMode.Strict, Secure = http.Request.IsHttps, Path = "/", MaxAge = TimeSpan.FromHours(12),
        });
    }

    public static void SignOut(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Cookies.Delete(CookieName, new CookieOptions { Path = "/" });
    }

    /// <summary>Parses App Service Authentication's principal: base64 JSON with <c>claims</c> [{typ, val}], <c>name_typ</c>, <c>role_typ</c>.</summary>
    public static ConsoleUser? FromEasyAuth(string header)
    {
        try
        {
            using var doc = JsonDocument.Parse(Encoding.UTF8.GetString(Convert.FromBase64String(header)));
            var root = doc.RootElement;
            var roleType = root.TryGetProperty("role_typ", out var rt) ? rt.GetString() : null;
            var nameType = root.TryGetProperty("name_typ", out var nt) ? nt.GetString() : null;
            var claims = new List<(string Type, string Value)>();
            if (root.TryGetProperty("claims", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                foreach (var c in list.EnumerateArray())
                {
                    if (c.TryGetProperty("typ", out var typ) && c.TryGetProperty("val", out var val) && typ.GetString() is { } t && val.GetString() is { } v)
                    {
                        claims.Add((t, v));
                    }
                }
            }

            var email = EmailClaims.Select(type => claims.FirstOrDefault(c => c.Type == type).Value).FirstOrDefault(v => !string.IsNullOrWhiteSpace(v) && v.Contains('@', StringComparison.Ordinal));
            if (email is null)
            {
                return null;
            }

            var name = claims.FirstOrDefault(c => c.Type == "name").Value ?? (nameType is null ? null : claims.FirstOrDefault(c => c.Type == nameType).Value) ?? email;
            var roles = claims.Where(c => c.Type == RolesClaim || c.Type == ClaimTypes.Role || (roleType is not null && c.Type == roleType))
                .Aggregate(ConsoleRoles.None, (all, c) => all | ConsoleUser.ParseRole(c.Value));
            return new ConsoleUser(email.Trim(), name, roles);
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The principal ASP.NET Core sees (anti-forgery tokens are bound to it).</summary>
    public static ClaimsPrincipal Principal(ConsoleUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var claims = new List<Claim> { new(ClaimTypes.NameIdentifier, user.Email.ToUpperInvariant()), new(ClaimTypes.Name, user.Email) };
        claims.AddRange(user.RoleNames().Select(r => new Claim(ClaimTypes.Role, r)));
        return new ClaimsPrincipal(new ClaimsIdentity(claims, "KamFlowsConsole"));
    }

    private sealed record StoredUser(string Email, string Name, int Roles);
}
