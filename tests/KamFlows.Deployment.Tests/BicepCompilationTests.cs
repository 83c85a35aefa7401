using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace KamFlows.Deployment.Tests;

/// <summary>The CI gate: infra/ compiles and lints with no diagnostic at all.</summary>
public sealed partial class BicepCompilationTests(ITestOutputHelper output)
{
    public static TheoryData<string> BicepFiles() => new(BicepFilePaths());

    private static List<string> BicepFilePaths() =>
        Directory.EnumerateFiles(Repository.Infra, "*.bicep", SearchOption.AllDirectories)
            .Select(file => Path.GetRelativePath(Repository.Root, file).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

    [Fact]
    public void MainBicep_Build_CompilesWithoutWarningsOrErrors()
    {
        var build = CompiledTemplate.Build;
        output.WriteLine(build.Diagnostics);

        Assert.Equal(0, build.ExitCode);
        Assert.True(build.Diagnostics.Length == 0, $"bicep build printed diagnostics:\n{build.Diagnostics}");
        Assert.Equal(
            "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
            (string?)JsonNode.Parse(build.StandardOutput)!["$schema"]);
    }

    [Theory]
    [MemberData(nameof(BicepFiles))]
    public void BicepFile_Lint_ReportsNothing(string file)
    {
        var lint = BicepCli.Run("lint", Repository.PathOf(file));
        var said = (lint.StandardOutput + lint.StandardError).Trim();
        output.WriteLine(said);

        Assert.Equal(0, lint.ExitCode);
        Assert.True(said.Length == 0, $"bicep lint {file} reported:\n{said}");
    }

    [Fact]
    public void InfraFolder_Modules_AreLocalFilesThatExist()
    {
        var files = BicepFilePaths();
        Assert.Contains("infra/main.bicep", files);

        var modules = files.SelectMany(file => ModuleReference().Matches(File.ReadAllText(Repository.PathOf(file)))
            .Select(match => (File: file, Target: match.Groups[1].Value))).ToList();
        Assert.NotEmpty(modules);
        Assert.All(modules, module =>
        {
            // br:/ts: registry modules cannot be restored where CI runs.
            Assert.DoesNotContain(":", module.Target, StringComparison.Ordinal);
            var resolved = Path.Combine(Path.GetDirectoryName(Repository.PathOf(module.File))!, module.Target);
            Assert.True(File.Exists(resolved), $"{module.File} references missing module {module.Target}.");
        });
    }

    [GeneratedRegex(@"^\s*module\s+\w+\s+'([^']+)'", RegexOptions.Multiline)]
    private static partial Regex ModuleReference();
}
