namespace KamFlows.Testing;

/// <summary>Unique, storage-safe names so tests sharing one Azurite never see each other's data.</summary>
public static class Names
{
    private static int _counter;

    /// <summary>A task hub name: letters and digits only, starts with a letter, at most 24 characters.</summary>
    public static string TaskHub(string prefix = "t")
    {
        var n = Interlocked.Increment(ref _counter);
        var id = Guid.NewGuid().ToString("N")[..10];
        return $"{prefix}{id}{n}"[..Math.Min(24, prefix.Length + 10 + n.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)];
    }
}
