using System.Collections.Concurrent;
using KamFlows.DevStorage;
using KamFlows.Testing;

namespace KamFlows.Durable.Tests;

/// <summary>
/// Histories recorded from real runs (Histories/*.json) replay against the current orchestrator code; a change that
/// would break running instances fails here, before deploy. Set KAMFLOWS_RECORD_HISTORIES=1 to re-record.
/// </summary>
public sealed class RecordedHistoryTests
{
    private static readonly string Folder = Path.Combine(RepositoryRoot.Find(), "tests", "KamFlows.Durable.Tests", "Histories");

    /// <summary>Every orchestrator whose history is kept, at the versions running instances may be on.</summary>
    private static DurableTaskRegistry Current(DurableTaskRegistry? into = null) => (into ?? new DurableTaskRegistry())
        .AddOrchestrator<SequenceTests.Greeter>()
        .AddOrchestrator<CompositionTests.Parent>()
        .AddOrchestrator<CompositionTests.Child>()
        .AddOrchestrator<EventTests.AcknowledgementWait>()
        .AddOrchestrator<RetryTests.SendWithRetry>()
        .AddOrchestrator<TimerTests.QuarterlyLoop>()
        .AddOrchestrator<VersioningTests.ApprovalV1>("Approval", "1")
        .AddOrchestrator<VersioningTests.ApprovalV2>("Approval", "2");

    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.EnumerateFiles(Folder, "*.json").Order())
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void RecordedHistory_ReplaysCleanlyAgainstTheCurrentCode(string file)
    {
        var history = RecordedHistory.Load(Path.Combine(Folder, file));
        var result = HistoryReplayChecker.Check(Current(), history);
        Assert.True(result.IsDeterministic, $"{file}: {result.Problem}");
    }

    [Fact]
    public void RecordedHistories_CoverEveryKeptOrchestrator()
    {
        var recorded = Directory.EnumerateFiles(Folder, "*.json").Select(f => RecordedHistory.Load(f).Orchestrator).ToHashSet();
        Assert.Superset(new HashSet<string> { "Greeter", "Parent", "Child", "AcknowledgementWait", "SendWithRetry", "QuarterlyLoop", "Approval" }, recorded);
        Assert.Equal(7, recorded.Count);
    }

    [Fact]
    public void ReplayChecker_CatchesAReorderedOrchestrator_AndAChangedOutput()
    {
        var approval = RecordedHistory.Load(Path.Combine(Folder, "Approval-v1.json"));
        var careless = new DurableTaskRegistry().AddOrchestrator<VersioningTests.ApprovalV2>("Approval", "1");
        var reordered = HistoryReplayChecker.Check(careless, approval);
        Assert.False(reordered.IsDeterministic);
        Assert.Contains("'Notify'", reordered.Problem, StringComparison.Ordinal);

        var greeter = RecordedHistory.Load(Path.Combine(Folder, "Greeter.json"));
        var changed = new DurableTaskRegistry().AddOrchestrator<LoudGreeter>("Greeter");
        var output = HistoryReplayChecker.Check(changed, greeter);
        Assert.False(output.IsDeterministic);
        Assert.Contains("completed with", output.Problem, StringComparison.Ordinal);

        var missing = HistoryReplayChecker.Check(new DurableTaskRegistry(), greeter);
        Assert.Contains("not registered", missing.Problem, StringComparison.Ordinal);
    }

    public sealed class LoudGreeter : TaskOrchestrator<string, string>
    {
        public override async Task<string> RunAsync(TaskOrchestrationContext context, string input)
        {
            var a = await context.CallActivityAsync<string>("Hello", input + "-1");
            var b = await context.CallActivityAsync<string>("Hello", input + "-2");
            var c = await context.CallActivityAsync<string>("Hello", input + "-3");
            return string.Join("!", a, b, c);
        }
    }

    /// <summary>Runs each kept orchestrator for real; its fresh history must replay too (and is saved when re-recording).</summary>
    [Fact]
    public async Task FreshRuns_ProduceHistoriesThatReplay()
    {
        var attempts = new ConcurrentDictionary<string, int>();
        await using var host = await DurableTestHost.StartAsync(r => Current(r)
            .AddActivityFunc<string, string>("Hello", (_, s) => Task.FromResult($"hello {s}"))
            .AddActivityFunc<string, string>("Upper", (_, s) => Task.FromResult(s.ToUpperInvariant()))
            .AddActivityFunc<string, string>("Notify", (_, s) => Task.FromResult(s))
            .AddActivityFunc<string, string>("NotifyByEmail", (_, s) => Task.FromResult(s))
            .AddActivityFunc<int, int>("Review", (_, _) => Task.FromResult(1))
            .AddActivityFunc<string, string>("Flaky", (ctx, s) => attempts.AddOrUpdate(ctx.InstanceId, 1, (_, v) => v + 1) >= 2
                ? Task.FromResult("sent") : throw new TimeoutException("SMTP timeout")), fakeClock: true);

        async Task<RecordedHistory> RunAsync(string name, object input, string file, string description, string? version = null, Func<string, Task>? drive = null)
        {
            var id = await host.Client.ScheduleNewOrchestrationInstanceAsync(name, input, new StartOrchestrationOptions { InstanceId = "recorded:" + file, Version = version });
            if (drive is not null)
            {
                await drive(id);
            }

            var done = await host.RunToCompletionOnFakeClockAsync(id);
            var meta = (await host.Client.GetInstanceAsync(id))!;
            var history = new RecordedHistory
            {
                Orchestrator = name, Version = meta.Version, InstanceId = id, ExecutionId = meta.ExecutionId, Description = description,
                Events = await host.Client.GetInstanceHistoryAsync(id),
            };
            Assert.True(HistoryReplayChecker.Check(Current(), history).IsDeterministic, file);
            if (Environment.GetEnvironmentVariable("KAMFLOWS_RECORD_HISTORIES") == "1")
            {
                history.Save(Path.Combine(Folder, file + ".json"));
            }

            return history;
        }

        await RunAsync("Greeter", "kam", "Greeter", "Three sequential activities.");
        var parent = await RunAsync("Parent", "deal", "Parent", "Two child orchestrations and a failing one.");
        await RunAsync("AcknowledgementWait", 24, "AcknowledgementWait", "Waits for an event with a timeout that expires.");
        await RunAsync("SendWithRetry", "flaky", "SendWithRetry", "An activity retried on a durable timer.");
        await RunAsync("QuarterlyLoop", new TimerTests.Quarter(11, DurableTestHost.Epoch, 11), "QuarterlyLoop", "The last quarter of the eternal loop.");
        await RunAsync("Approval", "kam@acme.fi", "Approval-v1", "Version 1: notify, then wait for a decision.", "1",
            id => host.Client.RaiseEventAsync(id, "decision", "yes"));

        var child = await host.Client.GetInstanceAsync("child:deal", true);
        var childHistory = new RecordedHistory
        {
            Orchestrator = "Child", Version = child!.Version, InstanceId = child.InstanceId, ExecutionId = child.ExecutionId,
            Description = "A child orchestration calling one activity.", Events = await host.Client.GetInstanceHistoryAsync(child.InstanceId),
        };
        Assert.True(HistoryReplayChecker.Check(Current(), childHistory).IsDeterministic);
        if (Environment.GetEnvironmentVariable("KAMFLOWS_RECORD_HISTORIES") == "1")
        {
            childHistory.Save(Path.Combine(Folder, "Child.json"));
        }

        Assert.NotEmpty(parent.Events);
    }
}
