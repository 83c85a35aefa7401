namespace KamFlows.Deployment.Tests;

/// <summary>azure.yaml tells azd what to build and where it runs; a wrong value breaks `azd up`.</summary>
public sealed class AzureYamlTests
{
    private static Dictionary<string, object> AzureYaml() =>
        SimpleYaml.Parse(File.ReadAllText(Repository.PathOf("azure.yaml")));

    [Fact]
    public void AzureYaml_ApiService_IsDotnetFunctionBuiltFromKamFlowsFunctions()
    {
        var yaml = AzureYaml();
        var services = Assert.IsType<Dictionary<string, object>>(yaml["services"]);

        Assert.Equal("api", Assert.Single(services.Keys));
        Assert.Equal("function", SimpleYaml.Scalar(yaml, "services", "api", "host"));
        Assert.Equal("dotnet", SimpleYaml.Scalar(yaml, "services", "api", "language"));
        var project = SimpleYaml.Scalar(yaml, "services", "api", "project");
        Assert.Equal("./src/KamFlows.Functions", project);
        var csproj = Path.Combine(Repository.PathOf(project!), "KamFlows.Functions.csproj");
        Assert.True(File.Exists(csproj), $"azure.yaml points at {project}, which has no KamFlows.Functions.csproj.");
        // azd publishes the project and zips the output: it must be a Functions v4 isolated-worker executable.
        var text = File.ReadAllText(csproj);
        Assert.Contains("<AzureFunctionsVersion>v4</AzureFunctionsVersion>", text, StringComparison.Ordinal);
        Assert.Contains("<OutputType>Exe</OutputType>", text, StringComparison.Ordinal);
        Assert.Contains("\"Microsoft.Azure.Functions.Worker.Sdk\"", text, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(Repository.PathOf(project!), "host.json")), $"{project} has no host.json.");
    }

    [Fact]
    public void AzureYaml_Infra_PointsAtSubscriptionScopedMainBicep()
    {
        var yaml = AzureYaml();
        var path = SimpleYaml.Scalar(yaml, "infra", "path") ?? "infra";
        var module = SimpleYaml.Scalar(yaml, "infra", "module") ?? "main";

        Assert.Equal("bicep", SimpleYaml.Scalar(yaml, "infra", "provider") ?? "bicep");
        var main = Path.Combine(Repository.PathOf(path), $"{module}.bicep");
        Assert.True(File.Exists(main), $"azure.yaml infra points at missing {main}.");
        Assert.Contains("targetScope = 'subscription'", File.ReadAllText(main), StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(SimpleYaml.Scalar(yaml, "name")), "azure.yaml needs a project name.");
    }

    [Fact]
    public void SimpleYaml_NestedMappingWithComments_ReadsScalarsAtTheirDepth()
    {
        var yaml = SimpleYaml.Parse("# top\nname: x # trailing\nservices:\n  api:\n    host: 'function'\n  web:\n    host: appservice\nafter: y\n");

        Assert.Equal("x", SimpleYaml.Scalar(yaml, "name"));
        Assert.Equal("function", SimpleYaml.Scalar(yaml, "services", "api", "host"));
        Assert.Equal("appservice", SimpleYaml.Scalar(yaml, "services", "web", "host"));
        Assert.Equal("y", SimpleYaml.Scalar(yaml, "after"));
        Assert.Null(SimpleYaml.Scalar(yaml, "services", "api", "language"));
    }
}
