namespace KamFlows.DevStorage;

/// <summary>Finds the KamFlows repository root (the folder with package.json and KamFlows.sln).</summary>
public static class RepositoryRoot
{
    public const string OverrideVariable = "KAMFLOWS_REPO_ROOT";

    public static string Find()
    {
        var configured = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "package.json")) &&
                    File.Exists(Path.Combine(dir.FullName, "KamFlows.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException(
            "Cannot find the KamFlows repository root (a folder with package.json and KamFlows.sln) above " +
            $"{AppContext.BaseDirectory}. Set {OverrideVariable}, or configure a storage connection string instead of the embedded Azurite.");
    }
}
