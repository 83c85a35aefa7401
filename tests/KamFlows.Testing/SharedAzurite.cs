// One Azurite per test process, started on first use and stopped when the process exits.
// Tests isolate themselves by unique table/queue/container names, never by separate emulators.
using KamFlows.DevStorage;

namespace KamFlows.Testing;

public static class SharedAzurite
{
    private static readonly Lazy<Task<EmbeddedAzurite>> Instance = new(StartAsync, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Connection string of the test run's Azurite (starting it on first call).</summary>
    public static async Task<string> ConnectionStringAsync() => (await Instance.Value.ConfigureAwait(false)).ConnectionString;

    public static Task<EmbeddedAzurite> GetAsync() => Instance.Value;

    private static async Task<EmbeddedAzurite> StartAsync()
    {
        var azurite = await EmbeddedAzurite.StartAsync().ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => azurite.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
        return azurite;
    }
}
