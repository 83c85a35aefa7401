// Tests wait for conditions, never for fixed sleeps: the deadline is generous (a loaded 2-core machine), the poll short.
namespace KamFlows.Testing;

public static class Eventually
{
    /// <summary>Polls <paramref name="condition"/> until it holds; <see cref="TimeoutException"/> after <paramref name="timeout"/> (60 s).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan? timeout = null, string? what = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!await condition().ConfigureAwait(false))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Condition not met in time{(what is null ? string.Empty : ": " + what)}.");
            }

            await Task.Delay(20).ConfigureAwait(false);
        }
    }
}
