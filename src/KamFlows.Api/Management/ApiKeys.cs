using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KamFlows.Api.Management;

/// <summary>Keys that open the management API (<c>KamFlows:Api:Keys:0..n</c>), sent in the <c>X-Api-Key</c> header.</summary>
public sealed class ApiOptions
{
    public const string Section = "KamFlows:Api";
    public const string HeaderName = "X-Api-Key";

    public List<string> Keys { get; set; } = [];

    public IReadOnlyList<string> Validate() =>
        Keys.Select((k, i) => (k, i)).Where(x => x.k.Trim().Length < 16)
            .Select(x => $"{Section}:Keys:{x.i} must be at least 16 characters (a random key, e.g. openssl rand -base64 32).").ToList();
}

/// <summary>
/// The one API-key check of both hosts: a request passes only with one of the configured keys. Compares hashes in
/// constant time and checks every key. The local host applies it as an endpoint filter, the Functions app in every
/// protected HTTP trigger (<see cref="ApiKeyCheck.ProtectAsync"/>).
/// </summary>
public sealed class ApiKeyCheck(IOptions<ApiOptions> options)
{
    private readonly byte[][] _keys = options.Value.Keys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k.Trim()))).ToArray();

    /// <summary>Null when the request carries a configured key; otherwise the 401 problem to answer.</summary>
    public IResult? Refuse(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_keys.Length == 0)
        {
            return TypedResults.Problem(statusCode: 401, title: "Management API locked",
                detail: $"No API key is configured; set {ApiOptions.Section}:Keys:0 and send it in the {ApiOptions.HeaderName} header.");
        }

        var presented = request.Headers[ApiOptions.HeaderName].ToString();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var key in _keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(key, hash);
        }

        return match && presented.Length > 0
            ? null
            : TypedResults.Problem(statusCode: 401, title: "Not authenticated", detail: $"Send a valid API key in the {ApiOptions.HeaderName} header.");
    }

    /// <summary>Runs <paramref name="handler"/> only when the request carries a configured key (the Functions app's protected triggers).</summary>
    public static async Task<IResult> ProtectAsync(HttpRequest request, Func<HttpContext, Task<IResult>> handler)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(handler);
        return request.HttpContext.RequestServices.GetRequiredService<ApiKeyCheck>().Refuse(request)
            ?? await handler(request.HttpContext).ConfigureAwait(false);
    }
}

/// <summary><see cref="ApiKeyCheck"/> as an endpoint filter, for route groups of the local host.</summary>
public sealed class ApiKeyFilter(ApiKeyCheck check) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        return check.Refuse(context.HttpContext.Request) ?? await next(context).ConfigureAwait(false);
    }
}
