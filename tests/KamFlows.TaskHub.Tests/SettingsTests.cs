// Bad settings must stop the process at start-up with a message that names the rule; composition and worker modes
// must hold because other projects add their own tasks and some processes only run the client.
using Azure.Core;
using DurableTask.Core.Settings;
using KamFlows.TaskHub.TestWorker;
using KamFlows.Testing;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KamFlows.TaskHub.Tests;

public sealed class SettingsTests
{
    private static TaskHubSettings Valid() => new() { TaskHubName = "kamflows", ConnectionString = "UseDevelopmentStorage=true" };

    private static List<string> Errors(Action<TaskHubSettings> change)
    {
        var s = Valid();
        change(s);
        return TaskHubSettingsValidator.Errors(s).ToList();
    }

    [Fact]
    public void Defaults_WithANameAndAConnectionString_AreValid()
    {
        Assert.Empty(TaskHubSettingsValidator.Errors(Valid()));
        var s = Valid();
        Assert.Equal(4, s.PartitionCount);
        Assert.Equal(TimeSpan.FromDays(3), s.MaximumTimerInterval);
        Assert.Equal("1", s.DefaultVersion);
        Assert.True(s.WorkerEnabled);
    }

    [Theory]
    [InlineData("")]
    [InlineData("ab")]
    [InlineData("1hub")]
    [InlineData("kam-flows")]
    [InlineData("kam_flows")]
    [InlineData("a234567890123456789012345678901234567890123456")] // 46 characters
    public void TaskHubName_BreakingAzureStorageNamingRules_IsRejectedWithTheRule(string name)
    {
        var error = Assert.Single(Errors(s => s.TaskHubName = name));
        Assert.Contains("3 to 45 characters, letters (A-Z, a-z) and digits only, starting with a letter", error);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("KamFlows2026")]
    [InlineData("a23456789012345678901234567890123456789012345")] // 45 characters
    public void TaskHubName_WithinTheRules_IsAccepted(string name) => Assert.Empty(Errors(s => s.TaskHubName = name));

    [Fact]
    public void MaximumTimerInterval_OverSixDays_IsRejected_BecauseQueuesCannotDelayAMessageThatLong()
    {
        var error = Assert.Single(Errors(s => s.MaximumTimerInterval = TimeSpan.FromDays(7)));
        Assert.Contains("at most 6 days", error);
        Assert.Contains("visibility delay over 7 days", error);
        Assert.Empty(Errors(s => s.MaximumTimerInterval = TimeSpan.FromDays(6)));
        Assert.Single(Errors(s => s.MaximumTimerInterval = TimeSpan.Zero));
    }

    [Fact]
    public void Storage_IsEitherAConnectionStringOrAllThreeUrisWithACredential()
    {
        var uri = new Uri("https://acct.table.core.windows.net");
        TokenCredential credential = new NoCredential();
        Assert.Contains("no storage configured", Assert.Single(Errors(s => s.ConnectionString = null)));
        Assert.Contains("needs QueueServiceUri, BlobServiceUri", Assert.Single(Errors(s => { s.ConnectionString = null; s.TableServiceUri = uri; s.TokenCredential = credential; })));
        Assert.Contains("not both", Assert.Single(Errors(s => s.TokenCredential = credential)));
        Assert.Empty(Errors(s =>
        {
            s.ConnectionString = null;
            s.TableServiceUri = uri;
            s.QueueServiceUri = new Uri("https://acct.queue.core.windows.net");
            s.BlobServiceUri = new Uri("https://acct.blob.core.windows.net");
            s.TokenCredential = credential;
        }));
    }

    [Fact]
    public void Numbers_OutOfRange_AreEachNamed()
    {
        var errors = Errors(s =>
        {
            s.PartitionCount = 17;
            s.ControlQueueBatchSize = 33;
            s.MaxQueuePollingInterval = TimeSpan.FromMilliseconds(10);
            s.MaxConcurrentActivities = 0;
            s.MaxConcurrentOrchestrations = 0;
            s.DefaultVersion = " ";
        });
        Assert.Equal(6, errors.Count);
        Assert.Contains(errors, e => e.Contains("PartitionCount 17"));
        Assert.Contains(errors, e => e.Contains("ControlQueueBatchSize 33"));
        Assert.Contains(errors, e => e.Contains("MaxQueuePollingInterval"));
        Assert.Contains(errors, e => e.Contains("MaxConcurrentActivities"));
        Assert.Contains(errors, e => e.Contains("MaxConcurrentOrchestrations"));
        Assert.Contains(errors, e => e.Contains("DefaultVersion"));
    }

    [Fact]
    public async Task HostStart_WithInvalidSettings_FailsWithTheMessage()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddKamFlowsTaskHub(s => { s.TaskHubName = "x"; s.ConnectionString = "UseDevelopmentStorage=true"; });
        using var host = builder.Build();

        var e = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("TaskHubName 'x' is invalid", e.Message);
    }

    [Fact]
    public async Task AddKamFlowsTaskHub_CalledTwice_ComposesSettingsAndRegistrations()
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddKamFlowsTaskHub(s => { s.TaskHubName = "composed"; s.ConnectionString = "UseDevelopmentStorage=true"; }, r => r.AddOrchestrator<SequenceOrchestrator>().AddActivity<AddActivity>());
        services.AddKamFlowsTaskHub(s => s.PartitionCount = 2, r => r.AddOrchestrator<VersionOrchestrator>());
        await using var sp = services.BuildServiceProvider();

        var registry = sp.GetRequiredService<IOptionsMonitor<DurableTaskRegistry>>().Get(TaskHubServiceCollectionExtensions.RegistryName);
        var settings = sp.GetRequiredService<IOptions<TaskHubSettings>>().Value;

        Assert.Equal(["SequenceOrchestrator", "VersionOrchestrator"], registry.GetOrchestrators().Select(o => o.Key.Name).Order());
        Assert.Equal("AddActivity", Assert.Single(registry.GetActivities()).Key.Name);
        Assert.Equal("composed", settings.TaskHubName);
        Assert.Equal(2, settings.PartitionCount);
        Assert.IsType<TaskHubDurableClient>(sp.GetRequiredService<DurableTaskClient>());
        Assert.Single(sp.GetServices<IHostedService>().OfType<TaskHubWorkerService>());
    }
}

/// <summary>Client-only processes and DurableTask.Core worker versioning, on Azurite.</summary>
public sealed class WorkerModeTests
{
    [Fact]
    public async Task WorkerDisabled_ClientStillSchedulesAndQueries_AndAWorkerElsewhereRunsTheInstance()
    {
        var hub = Names.TaskHub("cli");
        await using var clientOnly = await TaskHubTestHost.StartAsync(s => s.WorkerEnabled = false, taskHub: hub);
        Assert.False(clientOnly.Services.GetRequiredService<TaskHubWorkerService>().IsRunning);
        var id = await clientOnly.Client.ScheduleNewOrchestrationInstanceAsync(nameof(SequenceOrchestrator), 3);
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await clientOnly.Client.GetInstanceAsync(id))!.RuntimeStatus);

        clientOnly.DeleteHubOnDispose = false;
        await using var worker = await TaskHubTestHost.StartAsync(s => s.WorkerId = "worker-b", taskHub: hub);

        var m = await clientOnly.WaitForCompletionAsync(id);
        Assert.Equal(6, m.ReadOutputAs<int>());
    }

    [Fact]
    public async Task Versioning_AnOlderWorkerLeavesNewerInstancesPending_TheUpgradedWorkerRunsThem()
    {
        var hub = Names.TaskHub("ver");
        await using var v1 = await TaskHubTestHost.StartAsync(s => { s.WorkerId = "host1"; s.DefaultVersion = "1.0"; s.ShutdownTimeout = TimeSpan.FromSeconds(30); }, taskHub: hub);
        var newer = await v1.Client.ScheduleNewOrchestrationInstanceAsync(nameof(VersionOrchestrator), new StartOrchestrationOptions { Version = new TaskVersion("2.0") });
        var older = await v1.Client.ScheduleNewOrchestrationInstanceAsync(nameof(VersionOrchestrator), new StartOrchestrationOptions { Version = new TaskVersion("0.5") });

        Assert.Equal("0.5", (await v1.WaitForCompletionAsync(older)).ReadOutputAs<string>());
        Assert.Equal(OrchestrationRuntimeStatus.Pending, (await v1.Client.GetInstanceAsync(newer))!.RuntimeStatus);

        // The upgrade: the same host restarts with version 2.0. Rejected messages wait out a back-off of 2^n seconds.
        v1.DeleteHubOnDispose = false;
        await v1.DisposeAsync();
        await using var v2 = await TaskHubTestHost.StartAsync(s => { s.WorkerId = "host1"; s.DefaultVersion = "2.0"; }, taskHub: hub);
        var m = await v2.WaitForCompletionAsync(newer, TimeSpan.FromSeconds(150));
        Assert.Equal("2.0", m.ReadOutputAs<string>());
        Assert.Equal(VersioningSettings.VersionMatchStrategy.CurrentOrOlder, new TaskHubSettings().VersionMatchStrategy);
    }

    [Fact]
    public async Task Versioning_WithTheFailStrategy_ANewerInstanceFailsWithAVersionMismatch()
    {
        await using var host = await TaskHubTestHost.StartAsync(s => { s.DefaultVersion = "1.0"; s.VersionFailureStrategy = VersioningSettings.VersionFailureStrategy.Fail; });

        var newer = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(VersionOrchestrator), new StartOrchestrationOptions { Version = new TaskVersion("1.1") });
        var same = await host.Client.ScheduleNewOrchestrationInstanceAsync(nameof(VersionOrchestrator));

        var m = await host.WaitForCompletionAsync(newer);
        Assert.Equal(OrchestrationRuntimeStatus.Failed, m.RuntimeStatus);
        Assert.Equal("VersionMismatch", m.FailureDetails?.ErrorType);
        Assert.Equal("1.0", (await host.WaitForCompletionAsync(same)).ReadOutputAs<string>());
    }
}

internal sealed class NoCredential : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw new NotSupportedException();

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) => throw new NotSupportedException();
}
