namespace KamFlows.Deployment.Tests;

/// <summary>The web console's sign-in in Azure: App Service Authentication with Entra ID, and the app trusting its principal header only then.</summary>
public sealed class ConsoleAuthTemplateTests
{
    [Fact]
    public void AuthSettingsV2_EntraId_SignsInWithoutLockingOutWebhooksOrTheApi()
    {
        var (auth, _) = Assert.Single(CompiledTemplate.OfType("Microsoft.Web/sites/config"), r => ((string?)r.Resource["name"] ?? string.Empty).Contains("authsettingsV2", StringComparison.Ordinal));
        var properties = auth["properties"]!;

        Assert.Contains("consoleAuthClientId", (string?)auth["condition"] ?? string.Empty, StringComparison.Ordinal);
        Assert.True((bool?)properties["platform"]!["enabled"]);
        // Webhooks sign their requests and the management API has its key: anonymous requests must still reach the app.
        Assert.Equal("AllowAnonymous", (string?)properties["globalValidation"]!["unauthenticatedClientAction"]);
        Assert.False((bool?)properties["globalValidation"]!["requireAuthentication"] ?? true);
        var entra = properties["identityProviders"]!["azureActiveDirectory"]!;
        Assert.True((bool?)entra["enabled"]);
        Assert.Equal("[parameters('consoleAuthClientId')]", (string?)entra["registration"]!["clientId"]);
        Assert.Contains("v2.0", (string?)entra["registration"]!["openIdIssuer"] ?? string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void AppSettings_Console_TrustsThePrincipalOnlyWithAuthAndNeverOffersTheLocalSignIn()
    {
        var settings = CompiledTemplate.AppSettings();

        Assert.Equal("false", settings["KamFlows__Console__LocalSignIn"]);
        var trust = settings["KamFlows__Console__TrustEasyAuthPrincipal"];
        Assert.Contains("empty(parameters('consoleAuthClientId'))", trust, StringComparison.Ordinal);
        Assert.Contains("'false'", trust, StringComparison.Ordinal);
        Assert.Contains("consoleAuthClientId", CompiledTemplate.ModuleParameter("api", "consoleAuthClientId"), StringComparison.Ordinal);
    }
}
