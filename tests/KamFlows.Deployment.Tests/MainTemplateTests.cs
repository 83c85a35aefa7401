using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace KamFlows.Deployment.Tests;

/// <summary>What the compiled ARM template must keep true: no keys, identity everywhere, a .NET 10 isolated app on Flex Consumption.</summary>
public sealed partial class MainTemplateTests
{
    private const string StorageBlobDataOwner = "b7e6dc6d-f1e8-4753-8033-0f276bb0955b";
    private const string StorageQueueDataContributor = "974c5e8b-45b9-4653-ba55-5f855dd0fb88";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string KeyVaultSecretsUser = "4633458b-17de-408a-b874-0445c86b69e6";
    private const string KeyVaultSecretsOfficer = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";

    [Fact]
    public void StorageAccount_Properties_DisallowSharedKeysAndOldTls()
    {
        var properties = CompiledTemplate.Sole("Microsoft.Storage/storageAccounts")["properties"]!;

        Assert.False((bool?)properties["allowSharedKeyAccess"] ?? true, "allowSharedKeyAccess must be false.");
        Assert.Equal("TLS1_2", (string?)properties["minimumTlsVersion"]);
        Assert.False((bool?)properties["allowBlobPublicAccess"] ?? true, "allowBlobPublicAccess must be false.");
        Assert.True((bool?)properties["supportsHttpsTrafficOnly"] ?? false, "supportsHttpsTrafficOnly must be true.");
    }

    [Fact]
    public void CompiledTemplate_Anywhere_CarriesNoStorageKeyOrKeyBasedConnection()
    {
        var text = CompiledTemplate.Text;

        Assert.DoesNotContain("AccountKey", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("listKeys(", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", text, StringComparison.Ordinal);
        // Only the identity-based AzureWebJobsStorage__* settings: a plain AzureWebJobsStorage would be a connection string.
        Assert.DoesNotContain("AzureWebJobsStorage", CompiledTemplate.AppSettings().Keys);
    }

    [Fact]
    public void FunctionApp_Identity_IsUserAssignedAndResolvesKeyVaultReferences()
    {
        var site = CompiledTemplate.Sole("Microsoft.Web/sites");
        var identity = site["identity"]!;

        Assert.Equal("UserAssigned", (string?)identity["type"]);
        var assigned = Assert.Single(identity["userAssignedIdentities"]!.AsObject());
        Assert.Contains("parameters('identityId')", assigned.Key, StringComparison.Ordinal);
        Assert.Equal("[parameters('identityId')]", (string?)site["properties"]!["keyVaultReferenceIdentity"]);
        Assert.Contains("'identity'", CompiledTemplate.ModuleParameter("api", "identityId"), StringComparison.Ordinal);
        Assert.Contains("outputs.id.value", CompiledTemplate.ModuleParameter("api", "identityId"), StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionApp_FunctionAppConfig_RunsDotnetIsolated10FromTheDeploymentContainerWithTheIdentity()
    {
        var (site, template) = CompiledTemplate.SoleWithTemplate("Microsoft.Web/sites");
        var config = site["properties"]!["functionAppConfig"]!;
        var storage = config["deployment"]!["storage"]!;

        Assert.Equal("functionapp,linux", (string?)site["kind"]);
        Assert.True((bool?)site["properties"]!["httpsOnly"] ?? false, "httpsOnly must be true.");
        Assert.Equal("dotnet-isolated", CompiledTemplate.Literal(config["runtime"]!["name"], template));
        Assert.Equal("10.0", CompiledTemplate.Literal(config["runtime"]!["version"], template));
        Assert.Equal("blobContainer", (string?)storage["type"]);
        Assert.Equal("[format('{0}{1}', parameters('storageBlobEndpoint'), parameters('deploymentContainerName'))]", (string?)storage["value"]);
        // Shared keys are off, so the platform reads the package with the app's identity (it has Blob Data Owner).
        Assert.Equal("UserAssignedIdentity", (string?)storage["authentication"]!["type"]);
        Assert.Equal("[parameters('identityId')]", (string?)storage["authentication"]!["userAssignedIdentityResourceId"]);
    }

    [Fact]
    public void FunctionApp_RuntimeVersion_MatchesTheFunctionsProjectTargetFramework()
    {
        var (site, template) = CompiledTemplate.SoleWithTemplate("Microsoft.Web/sites");
        var version = CompiledTemplate.Literal(site["properties"]!["functionAppConfig"]!["runtime"]!["version"], template);
        var project = File.ReadAllText(Repository.PathOf("src/KamFlows.Functions/KamFlows.Functions.csproj"));
        var shared = File.ReadAllText(Repository.PathOf("Directory.Build.props"));
        var targetFramework = TargetFramework().Match(project) is { Success: true } own ? own.Groups[1].Value : TargetFramework().Match(shared).Groups[1].Value;

        Assert.Equal("net" + version, targetFramework);
    }

    [Fact]
    public void FunctionApp_AppSettings_OmitWhatFlexConsumptionRejectsOrIgnores()
    {
        var site = CompiledTemplate.Sole("Microsoft.Web/sites");
        var settings = CompiledTemplate.AppSettings();
        var siteConfig = site["properties"]!["siteConfig"]!.AsObject();

        // The runtime lives in functionAppConfig; the platform owns the host version; there is no content share.
        string[] rejected =
        [
            "FUNCTIONS_WORKER_RUNTIME", "FUNCTIONS_EXTENSION_VERSION", "WEBSITE_RUN_FROM_PACKAGE", "WEBSITE_CONTENTSHARE",
            "WEBSITE_CONTENTAZUREFILECONNECTIONSTRING", "SCM_DO_BUILD_DURING_DEPLOYMENT", "ENABLE_ORYX_BUILD", "WEBSITE_TIME_ZONE",
        ];
        Assert.All(rejected, name => Assert.False(settings.ContainsKey(name), $"{name} must not be set on a Flex Consumption app."));
        Assert.All(new[] { "linuxFxVersion", "alwaysOn", "functionAppScaleLimit" }, name => Assert.False(siteConfig.ContainsKey(name), $"siteConfig.{name} is not for Flex Consumption."));
    }

    [Fact]
    public void FunctionApp_DurableGroup_KeepsAnInstanceReadyByDefault()
    {
        var (site, template) = CompiledTemplate.SoleWithTemplate("Microsoft.Web/sites");
        var scale = site["properties"]!["functionAppConfig"]!["scaleAndConcurrency"]!;

        Assert.Contains("'name', 'durable'", (string?)scale["alwaysReady"], StringComparison.Ordinal);
        Assert.Equal(1, (int?)template["parameters"]!["durableAlwaysReadyInstances"]!["defaultValue"]);
        Assert.Equal("[parameters('instanceMemoryMB')]", (string?)scale["instanceMemoryMB"]);
        Assert.Equal(2048, (int?)CompiledTemplate.Main["parameters"]!["instanceMemoryMB"]!["defaultValue"]);
        Assert.Equal("[parameters('maximumInstanceCount')]", (string?)scale["maximumInstanceCount"]);
    }

    [Theory]
    [InlineData("KamFlows__Email__SendGridApiKey", "sendgrid-api-key")]
    [InlineData("KamFlows__Api__Keys__0", "management-api-key")]
    [InlineData("KamFlows__Webhooks__Secrets__events", "webhook-secret-events")]
    [InlineData("KamFlows__Webhooks__Secrets__hubspot", "webhook-secret-hubspot")]
    [InlineData("KamFlows__Webhooks__Secrets__pipedrive", "webhook-secret-pipedrive")]
    [InlineData("KamFlows__Webhooks__Secrets__bitrix24", "webhook-secret-bitrix24")]
    [InlineData("KamFlows__Webhooks__Secrets__amocrm", "webhook-secret-amocrm")]
    public void FunctionApp_SecretSetting_IsKeyVaultReference(string setting, string secretName)
    {
        var value = CompiledTemplate.AppSettings()[setting];

        Assert.Contains("@Microsoft.KeyVault(SecretUri=", value, StringComparison.Ordinal);
        Assert.Contains($"secrets/{secretName}/", value, StringComparison.Ordinal);
        Assert.Contains("parameters('keyVaultUri')", value, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionApp_HostStorage_ConnectsWithTheManagedIdentity()
    {
        var settings = CompiledTemplate.AppSettings();

        // host.json's durableTask storageProvider uses connectionName AzureWebJobsStorage: these settings are that connection.
        Assert.Equal("[parameters('storageAccountName')]", settings["AzureWebJobsStorage__accountName"]);
        Assert.Equal("managedidentity", settings["AzureWebJobsStorage__credential"]);
        Assert.Equal("[parameters('identityClientId')]", settings["AzureWebJobsStorage__clientId"]);
        Assert.Contains("'storage'", CompiledTemplate.ModuleParameter("api", "storageAccountName"), StringComparison.Ordinal);
        Assert.Contains("outputs.name.value", CompiledTemplate.ModuleParameter("api", "storageAccountName"), StringComparison.Ordinal);
        Assert.Contains("outputs.clientId.value", CompiledTemplate.ModuleParameter("api", "identityClientId"), StringComparison.Ordinal);
        Assert.Contains("outputs.queueEndpoint.value", CompiledTemplate.ModuleParameter("api", "storageQueueEndpoint"), StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionApp_AppSettings_IncludeEverySettingKamFlowsReads()
    {
        var settings = CompiledTemplate.AppSettings();
        string[] expected =
        [
            "KamFlows__Storage__TableServiceUri",
            "KamFlows__Storage__QueueServiceUri",
            "KamFlows__Storage__BlobServiceUri",
            "KamFlows__Storage__ClientId",
            "KamFlows__Storage__TaskHub",
            "KamFlows__Email__FromAddress",
            "KamFlows__Email__SendGridApiKey",
            "KamFlows__Api__Keys__0",
            "APPLICATIONINSIGHTS_CONNECTION_STRING",
            "OTEL_SERVICE_NAME",
        ];

        Assert.All(expected, name => Assert.True(settings.ContainsKey(name), $"App setting {name} is missing."));
        Assert.Equal("kamflows", settings["OTEL_SERVICE_NAME"]);
        Assert.Equal("[parameters('identityClientId')]", settings["KamFlows__Storage__ClientId"]);
        Assert.Equal("[parameters('applicationInsightsConnectionString')]", settings["APPLICATIONINSIGHTS_CONNECTION_STRING"]);
        Assert.Equal("[parameters('emailFromAddress')]", settings["KamFlows__Email__FromAddress"]);
        Assert.Equal("[parameters('taskHubName')]", settings["KamFlows__Storage__TaskHub"]);
    }

    [Theory]
    [InlineData("hubspot")]
    [InlineData("pipedrive")]
    [InlineData("bitrix24")]
    [InlineData("amocrm")]
    public void FunctionApp_CrmMapping_IsTheFileTheFunctionsPackageShips(string crm)
    {
        var settings = CompiledTemplate.AppSettings();
        var project = File.ReadAllText(Repository.PathOf("src/KamFlows.Functions/KamFlows.Functions.csproj"));

        Assert.Equal($"mappings/{crm}.json", settings[$"KamFlows__Webhooks__Mappings__{crm}"]);
        Assert.True(File.Exists(Repository.PathOf($"samples/mappings/{crm}.json")), $"samples/mappings/{crm}.json is missing.");
        Assert.Contains(@"samples\mappings\*.json"" Link=""mappings\", project, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionApp_PublicBaseUrls_AreTheAppsHttpsAddress()
    {
        var settings = CompiledTemplate.AppSettings();

        // HubSpot signs the URL it calls; unsubscribe links must point at the app. Behind the Functions host neither is visible.
        Assert.Equal("[variables('publicBaseUrl')]", settings["KamFlows__Webhooks__PublicBaseUrl"]);
        Assert.Equal("[variables('publicBaseUrl')]", settings["KamFlows__Email__PublicBaseUrl"]);
        var (_, template) = CompiledTemplate.SoleWithTemplate("Microsoft.Web/sites");
        Assert.Equal("[format('https://{0}.azurewebsites.net', parameters('name'))]", (string?)template["variables"]!["publicBaseUrl"]);
    }

    [Fact]
    public void AppIdentity_RoleAssignments_CoverWhatTheDurableTaskStorageProviderAndKeyVaultReferencesNeed()
    {
        var roles = RoleAssignments()
            .Where(a => (string?)a.Resource["properties"]!["principalId"] == "[parameters('appIdentityPrincipalId')]")
            .ToList();

        Assert.All(roles, a =>
        {
            Assert.Equal("ServicePrincipal", (string?)a.Resource["properties"]!["principalType"]);
            Assert.Null(a.Resource["condition"]);
        });
        var granted = roles.Select(a => CompiledTemplate.RoleDefinitionGuid(a.Resource, a.Template)).ToHashSet();
        Assert.Contains(StorageBlobDataOwner, granted);
        Assert.Contains(StorageQueueDataContributor, granted);
        Assert.Contains(StorageTableDataContributor, granted);
        Assert.Contains(KeyVaultSecretsUser, granted);
        Assert.Contains("outputs.principalId.value", CompiledTemplate.ModuleParameter("rbac", "appIdentityPrincipalId"), StringComparison.Ordinal);
    }

    [Fact]
    public void DeployingUser_RoleAssignments_AreOptionalAndIncludeSecretsOfficer()
    {
        var roles = RoleAssignments()
            .Where(a => (string?)a.Resource["properties"]!["principalId"] == "[parameters('userPrincipalId')]")
            .ToList();

        Assert.NotEmpty(roles);
        Assert.All(roles, a => Assert.NotNull(a.Resource["condition"]));
        var granted = roles.Select(a => CompiledTemplate.RoleDefinitionGuid(a.Resource, a.Template)).ToHashSet();
        Assert.Contains(KeyVaultSecretsOfficer, granted);
        Assert.Contains(StorageQueueDataContributor, granted);
        Assert.Contains(StorageTableDataContributor, granted);
        Assert.Equal("[parameters('principalId')]", CompiledTemplate.ModuleParameter("rbac", "userPrincipalId"));
    }

    [Fact]
    public void RoleAssignments_Names_AreGuidOfScopePrincipalAndRole()
    {
        var roles = RoleAssignments();

        Assert.NotEmpty(roles);
        Assert.All(roles, a =>
        {
            var name = (string)a.Resource["name"]!;
            var principal = (string)a.Resource["properties"]!["principalId"]!;
            Assert.StartsWith("[guid(resourceId(", name, StringComparison.Ordinal);
            Assert.Contains(principal.Trim('[', ']'), name, StringComparison.Ordinal);
            Assert.Contains(CompiledTemplate.RoleDefinitionGuid(a.Resource, a.Template), a.Template.ToJsonString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void FunctionApp_Tags_CarryAzdServiceNameApi()
    {
        var site = CompiledTemplate.Sole("Microsoft.Web/sites");

        Assert.Equal("[parameters('tags')]", (string?)site["tags"]);
        Assert.Contains("createObject('azd-service-name', 'api')", CompiledTemplate.ModuleParameter("api", "tags"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AZURE_LOCATION")]
    [InlineData("AZURE_TENANT_ID")]
    [InlineData("AZURE_FUNCTION_APP_NAME")]
    [InlineData("SERVICE_API_NAME")]
    [InlineData("SERVICE_API_URI")]
    [InlineData("AZURE_STORAGE_ACCOUNT_NAME")]
    [InlineData("AZURE_KEY_VAULT_NAME")]
    [InlineData("AZURE_KEY_VAULT_ENDPOINT")]
    [InlineData("APPLICATIONINSIGHTS_CONNECTION_STRING")]
    [InlineData("AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID")]
    public void MainTemplate_Outputs_IncludeWhatAzdAndTheAppUse(string name)
    {
        var output = CompiledTemplate.Main["outputs"]?[name];

        Assert.True(output is not null, $"main.bicep has no output {name}.");
        Assert.Equal("string", (string?)output!["type"]);
    }

    [Fact]
    public void HostingPlan_Sku_IsFlexConsumptionFC1OnLinux()
    {
        var plan = CompiledTemplate.Sole("Microsoft.Web/serverfarms");

        Assert.Equal("FC1", (string?)plan["sku"]!["name"]);
        Assert.Equal("FlexConsumption", (string?)plan["sku"]!["tier"]);
        Assert.True((bool?)plan["properties"]!["reserved"] ?? false, "The plan must be Linux (reserved: true).");
        Assert.Null(CompiledTemplate.Main["parameters"]!["appServicePlanSku"]);
    }

    [Fact]
    public void StorageAccount_DeploymentContainer_IsPrivateAndIsTheOneTheAppRunsFrom()
    {
        var container = CompiledTemplate.Sole("Microsoft.Storage/storageAccounts/blobServices/containers");

        Assert.Equal("None", (string?)container["properties"]!["publicAccess"]);
        Assert.Contains("parameters('deploymentContainerName')", (string?)container["name"], StringComparison.Ordinal);
        Assert.Equal("[variables('deploymentContainerName')]", CompiledTemplate.ModuleParameter("storage", "deploymentContainerName"));
        Assert.Contains("outputs.deploymentContainerName.value", CompiledTemplate.ModuleParameter("api", "deploymentContainerName"), StringComparison.Ordinal);
    }

    [Fact]
    public void KeyVault_Secrets_UseRbacAndAreWrittenOnlyWhenGiven()
    {
        var vault = CompiledTemplate.Sole("Microsoft.KeyVault/vaults");
        var secret = CompiledTemplate.Sole("Microsoft.KeyVault/vaults/secrets");
        var secretValues = JsonNode.Parse(CompiledTemplate.ModuleParameter("keyvault", "secretValues"))!.AsObject();

        Assert.True((bool?)vault["properties"]!["enableRbacAuthorization"] ?? false, "Key Vault must use RBAC.");
        Assert.Contains("empty(", (string?)secret["condition"] ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal("[parameters('sendGridApiKey')]", (string?)secretValues["sendgrid-api-key"]);
        Assert.Equal("securestring", (string?)CompiledTemplate.Main["parameters"]!["sendGridApiKey"]!["type"]);
        Assert.Equal("secureObject", (string?)CompiledTemplate.ModuleTemplate("keyvault")["parameters"]!["secretValues"]!["type"]);
    }

    [Fact]
    public void MainParameters_Entries_MatchMainBicepParameters()
    {
        var file = JsonNode.Parse(File.ReadAllText(Path.Combine(Repository.Infra, "main.parameters.json")))!["parameters"]!.AsObject();
        var declared = CompiledTemplate.Main["parameters"]!.AsObject();

        Assert.All(file, entry => Assert.True(declared.ContainsKey(entry.Key), $"main.parameters.json sets unknown parameter {entry.Key}."));
        Assert.All(
            declared.Where(p => p.Value!["defaultValue"] is null),
            required => Assert.True(file.ContainsKey(required.Key), $"Required parameter {required.Key} is not in main.parameters.json."));
        Assert.Equal("${AZURE_PRINCIPAL_ID}", (string?)file["principalId"]?["value"]);
    }

    private static List<(JsonObject Resource, JsonObject Template)> RoleAssignments() =>
        CompiledTemplate.OfType("Microsoft.Authorization/roleAssignments").ToList();

    [GeneratedRegex(@"<TargetFramework>\s*([^<\s]+)\s*</TargetFramework>")]
    private static partial Regex TargetFramework();
}
