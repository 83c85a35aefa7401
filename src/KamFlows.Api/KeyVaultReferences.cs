using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace KamFlows.Api;

/// <summary>
/// App Service and Azure Functions hand an app the literal <c>@Microsoft.KeyVault(...)</c> text of a setting whose secret
/// does not exist (yet) or cannot be read. KamFlows treats such a secret as not configured: a webhook source stays
/// disabled, the management API stays locked, email goes nowhere near SendGrid with a bogus key; and says so at start-up.
/// </summary>
public static class KeyVaultReferences
{
    public const string Prefix = "@Microsoft.KeyVault(";

    public static bool IsUnresolved(string? value) => value is not null && value.TrimStart().StartsWith(Prefix, StringComparison.OrdinalIgnoreCase);
}

/// <summary>Logs, once at start-up, every setting that is still an unresolved Key Vault reference (the name, never a value).</summary>
internal sealed partial class KeyVaultReferenceReport(IConfiguration configuration, ILogger<KeyVaultReferenceReport> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        foreach (var setting in configuration.AsEnumerable().Where(kv => KeyVaultReferences.IsUnresolved(kv.Value)).Select(kv => kv.Key).Order(StringComparer.Ordinal))
        {
            LogUnresolved(logger, setting);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 5200, Level = LogLevel.Warning,
        Message = "{Setting} is a Key Vault reference that did not resolve (the secret is missing or the identity cannot read it): treated as not set. Set the secret, then restart the app.")]
    private static partial void LogUnresolved(ILogger logger, string setting);
}
