using System.Xml.Linq;
using KamFlows.DevStorage;

namespace KamFlows.Workflows.Tests;

/// <summary>The guards against non-deterministic orchestrators that run at build time, not only in replay tests.</summary>
public sealed class DeterminismGuardTests
{
    [Theory]
    [InlineData("src/KamFlows.Workflows/KamFlows.Workflows.csproj")]
    [InlineData("src/KamFlows.Host/KamFlows.Host.csproj")]
    [InlineData("src/KamFlows.Functions/KamFlows.Functions.csproj")]
    [InlineData("src/KamFlows.Api/KamFlows.Api.csproj")]
    public void ProjectsWithOrchestrators_RunTheDurableTaskAnalyzers_WithWarningsAsErrors(string project)
    {
        var root = RepositoryRoot.Find();
        var csproj = XDocument.Load(Path.Combine(root, project));
        Assert.Contains(csproj.Descendants("PackageReference"), p => (string?)p.Attribute("Include") == "Microsoft.DurableTask.Analyzers");
        var props = XDocument.Load(Path.Combine(root, "Directory.Build.props"));
        Assert.Equal("true", props.Descendants("TreatWarningsAsErrors").Single().Value);
    }
}
