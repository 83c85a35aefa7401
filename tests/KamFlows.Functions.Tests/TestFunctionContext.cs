using Microsoft.Azure.Functions.Worker;

namespace KamFlows.Functions.Tests;

/// <summary>The part of a function invocation that KamFlows' function bodies use: its services and cancellation.</summary>
public sealed class TestFunctionContext(IServiceProvider services, CancellationToken cancellationToken = default) : FunctionContext
{
    public override string InvocationId => "test-invocation";

    public override string FunctionId => "test-function";

    public override TraceContext TraceContext => throw new NotSupportedException();

    public override BindingContext BindingContext => throw new NotSupportedException();

    public override Microsoft.Azure.Functions.Worker.RetryContext RetryContext => throw new NotSupportedException();

    public override IServiceProvider InstanceServices { get; set; } = services;

    public override FunctionDefinition FunctionDefinition => throw new NotSupportedException();

    public override IDictionary<object, object> Items { get; set; } = new Dictionary<object, object>();

    public override IInvocationFeatures Features => throw new NotSupportedException();

    public override CancellationToken CancellationToken => cancellationToken;
}
