// Orchestrators and activities are Microsoft.DurableTask classes; DurableTask.Core only knows TaskOrchestration and
// TaskActivity. The SDK's own shims (what Durable Functions uses) adapt one to the other, so the same classes run here
// and in Azure. Lookup is by name only: the instance version belongs to the SDK (context.Version), not to the registry.
using System.Collections.Concurrent;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.DependencyInjection;

namespace KamFlows.TaskHub;

/// <summary>Creates a shimmed orchestration for each work item (orchestrators are created from the root provider: no scoped services).</summary>
internal sealed class ShimOrchestrationCreator : ObjectCreator<TaskOrchestration>
{
    private readonly TaskName _name;
    private readonly Func<IServiceProvider, ITaskOrchestrator> _factory;
    private readonly IServiceProvider _services;
    private readonly DurableTaskShimFactory _shims;

    public ShimOrchestrationCreator(TaskName name, Func<IServiceProvider, ITaskOrchestrator> factory, IServiceProvider services, DurableTaskShimFactory shims)
    {
        _name = name;
        _factory = factory;
        _services = services;
        _shims = shims;
        Name = name.Name;
        Version = "";
    }

    // parent: null — DurableTask.Core does not tell the creator which instance it runs for; ctx.Parent is null in sub-orchestrations.
    public override TaskOrchestration Create() => _shims.CreateOrchestration(_name, _factory(_services), parent: null);
}

/// <summary>Creates an activity that resolves its implementation in a DI scope of its own, disposed when the run ends.</summary>
internal sealed class ShimActivityCreator : ObjectCreator<TaskActivity>
{
    private readonly TaskName _name;
    private readonly Func<IServiceProvider, ITaskActivity> _factory;
    private readonly IServiceScopeFactory _scopes;
    private readonly DurableTaskShimFactory _shims;

    public ShimActivityCreator(TaskName name, Func<IServiceProvider, ITaskActivity> factory, IServiceScopeFactory scopes, DurableTaskShimFactory shims)
    {
        _name = name;
        _factory = factory;
        _scopes = scopes;
        _shims = shims;
        Name = name.Name;
        Version = "";
    }

    public override TaskActivity Create() => new ScopedActivity(this);

    private sealed class ScopedActivity(ShimActivityCreator creator) : TaskActivity
    {
        public override string Run(TaskContext context, string input) =>
            throw new NotSupportedException("Activities run asynchronously (RunAsync).");

        public override async Task<string> RunAsync(TaskContext context, string input)
        {
            var scope = creator._scopes.CreateAsyncScope();
            await using (scope.ConfigureAwait(false))
            {
                var activity = creator._factory(scope.ServiceProvider);
                var shim = creator._shims.CreateActivity(creator._name, activity);
                return await shim.RunAsync(context, input).ConfigureAwait(false);
            }
        }
    }
}

/// <summary>
/// DurableTask.Core looks tasks up by name and version; instances carry the SDK's orchestration version (e.g. "1") and
/// activities inherit it, while the registry knows names only. This manager ignores the version.
/// </summary>
internal sealed class NameOnlyObjectManager<T> : INameVersionObjectManager<T>
{
    private readonly ConcurrentDictionary<string, ObjectCreator<T>> _creators = new(StringComparer.OrdinalIgnoreCase);

    public void Add(ObjectCreator<T> creator)
    {
        ArgumentNullException.ThrowIfNull(creator);
        if (!_creators.TryAdd(creator.Name, creator))
        {
            throw new InvalidOperationException($"'{creator.Name}' is registered twice.");
        }
    }

    public T? GetObject(string name, string? version) =>
        _creators.TryGetValue(name, out var creator) ? creator.Create() : default;
}
