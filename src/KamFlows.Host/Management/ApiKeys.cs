using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace KamFlows.Host.Management;

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

/// <summary>Lets a request through only with one of the configured keys; compares hashes in constant time and checks every key.</summary>
internal sealed class ApiKeyFilter(IOptions<ApiOptions> options) : IEndpointFilter
{
    private readonly byte[][] _keys = options.Value.Keys.Select(k => SHA256.HashData(Encoding.UTF8.GetBytes(k.Trim()))).ToArray();

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (_keys.Length == 0)
        {
            return TypedResults.Problem(statusCode: 401, title: "Management API locked",
                detail: $"No API key is configured; set {ApiOptions.Section}:Keys:0 and send it in the {ApiOptions.HeaderName} header.");
        }

        var presented = context.HttpContext.Request.Headers[ApiOptions.HeaderName].ToString();
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(presented));
        var match = false;
        foreach (var key in _keys)
        {
            match |= CryptographicOperations.FixedTimeEquals(key, hash);
        }

        if (!match || presented.Length == 0)
        {
            return TypedResults.Problem(statusCode: 401, title: "Not authenticated", detail: $"Send a valid API key in the {ApiOptions.HeaderName} header.");
        }

        return await next(context).ConfigureAwait(false);
    }
}
