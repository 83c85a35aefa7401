// Which orchestrators (by name and version) and activities (by name) this host can run.
// Invariant: an instance runs only the version it started with; a missing version is never replaced by another.
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.Durable;

/// <summary>Registered orchestrators and activities.</summary>
public sealed class DurableTaskRegistry
{
    private readonly Dictionary<string, SortedDictionary<string, Func<IServiceProvider, ITaskOrchestrator>>> _orchestrators = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _defaultVersions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Func<IServiceProvider, ITaskActivity>> _activities = new(StringComparer.Ordinal);
    private readonly HashSet<string> _explicitDefaults = new(StringComparer.Ordinal);

    /// <summary>The version used when none is given.</summary>
    public const string DefaultVersion = "1";

    /// <summary>Registers an orchestrator type under its class name (or <paramref name="name"/>).</summary>
    /// <param name="name">Registered name; default the class name.</param>
    /// <param name="version">Version; instances started on it stay on it.</param>
    /// <param name="isDefault">New instances use this version (default: the last one registered for the name).</param>
    public DurableTaskRegistry AddOrchestrator<T>(string? name = null, string version = DefaultVersion, bool? isDefault = null)
        where T : class, ITaskOrchestrator =>
        AddOrchestrator(name ?? typeof(T).Name, version, sp => ActivatorUtilities.CreateInstance<T>(sp), isDefault);

    /// <summary>Registers an orchestrator factory.</summary>
    public DurableTaskRegistry AddOrchestrator(string name, string version, Func<IServiceProvider, ITaskOrchestrator> factory, bool? isDefault = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_orchestrators.TryGetValue(name, out var versions))
        {
            _orchestrators[name] = versions = new SortedDictionary<string, Func<IServiceProvider, ITaskOrchestrator>>(StringComparer.Ordinal);
        }

        if (!versions.TryAdd(version, factory))
        {
            throw new InvalidOperationException($"Orchestrator '{name}' version '{version}' is registered twice.");
        }

        if (isDefault == true)
        {
            _defaultVersions[name] = version;
            _explicitDefaults.Add(name);
        }
        else if (isDefault is null && !_explicitDefaults.Contains(name))
        {
            _defaultVersions[name] = version; // The last one registered wins unless one was marked default.
        }

        return this;
    }

    /// <summary>Registers an activity type under its class name (or <paramref name="name"/>).</summary>
    public DurableTaskRegistry AddActivity<T>(string? name = null) where T : class, ITaskActivity =>
        AddActivity(name ?? typeof(T).Name, sp => ActivatorUtilities.CreateInstance<T>(sp));

    /// <summary>Registers an activity factory.</summary>
    public DurableTaskRegistry AddActivity(string name, Func<IServiceProvider, ITaskActivity> factory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(factory);
        if (!_activities.TryAdd(name, factory))
        {
            throw new InvalidOperationException($"Activity '{name}' is registered twice.");
        }

        return this;
    }

    /// <summary>Registers an activity from a delegate (handy for small activities and tests).</summary>
    public DurableTaskRegistry AddActivityFunc<TInput, TOutput>(string name, Func<TaskActivityContext, TInput, Task<TOutput>> run) =>
        AddActivity(name, _ => new FuncActivity<TInput, TOutput>(run));

    /// <summary>Registered orchestrator names.</summary>
    public IReadOnlyCollection<string> OrchestratorNames => _orchestrators.Keys;

    /// <summary>Registered activity names.</summary>
    public IReadOnlyCollection<string> ActivityNames => _activities.Keys;

    /// <summary>The version new instances of <paramref name="name"/> get, or null if unknown.</summary>
    public string? GetDefaultVersion(string name) => _defaultVersions.GetValueOrDefault(name);

    /// <summary>Registered versions of an orchestrator.</summary>
    public IReadOnlyCollection<string> GetVersions(string name) =>
        _orchestrators.TryGetValue(name, out var v) ? v.Keys : [];

    internal bool TryCreateOrchestrator(string name, string version, IServiceProvider services, out ITaskOrchestrator orchestrator)
    {
        if (_orchestrators.TryGetValue(name, out var versions) && versions.TryGetValue(version, out var factory))
        {
            orchestrator = factory(services);
            return true;
        }

        orchestrator = null!;
        return false;
    }

    internal bool TryCreateActivity(string name, IServiceProvider services, out ITaskActivity activity)
    {
        if (_activities.TryGetValue(name, out var factory))
        {
            activity = factory(services);
            return true;
        }

        activity = null!;
        return false;
    }

    private sealed class FuncActivity<TInput, TOutput>(Func<TaskActivityContext, TInput, Task<TOutput>> run) : TaskActivity<TInput, TOutput>
    {
        public override Task<TOutput> RunAsync(TaskActivityContext context, TInput input) => run(context, input);
    }
}
