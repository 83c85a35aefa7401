namespace KamFlows.Testing;

/// <summary>Unique, storage-safe names so tests sharing one Azurite never see each other's data.</summary>
public static class Names
{
    /// <summary>A task hub name: a letter prefix then random hex; at most 20 characters.</summary>
    public static string TaskHub(string prefix = "t")
    {
        var name = prefix + Guid.NewGuid().ToString("N");
        return name[..Math.Min(20, name.Length)];
    }
}
