namespace KamFlows.Deployment.Tests;

/// <summary>Paths in the repository under test, found from the test assembly's location.</summary>
public static class Repository
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    /// <summary>The folder holding KamFlows.sln.</summary>
    public static string Root => RootPath.Value;

    public static string Infra => Path.Combine(Root, "infra");

    public static string PathOf(string relativePath) =>
        Path.GetFullPath(Path.Combine(Root, relativePath.Replace('/', Path.DirectorySeparatorChar)));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "KamFlows.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"No KamFlows.sln above {AppContext.BaseDirectory}.");
    }
}
