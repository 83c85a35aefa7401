using KamFlows.Api;
using KamFlows.Domain.Events;
using KamFlows.Functions.Timers;
using KamFlows.Host;
using KamFlows.Infrastructure.Storage;
using KamFlows.Workflows;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.DurableTask;
using Microsoft.Extensions.Configuration;

namespace KamFlows.Functions.Tests;

/// <summary>
/// functions.metadata of the published app against the local host: what its engine registers (KamFlowsServices.RegisterTasks:
/// the workflows and the health probe) and the routes it serves under /api. A workflow, activity or route the local host has
/// but Azure has no function for would fail there only at run time.
/// </summary>
[Collection(PublishedAppGroup.Name)]
public sealed class PublishedFunctionsMetadataTests(PublishedFunctionsApp app)
{
    private static readonly DurableTaskRegistry Registry = KamFlowsServices.RegisterTasks(new DurableTaskRegistry());

    private IReadOnlyList<PublishedFunction> Functions => PublishedFunction.Read(app.Json("functions.metadata"));

    [Fact]
    public void Metadata_OrchestrationTriggers_AreExactlyTheOrchestratorsTheLocalEngineRegisters()
    {
        var registered = Registry.GetOrchestrators().Select(o => o.Key.Name).ToHashSet(StringComparer.Ordinal);
        var published = Functions.Where(f => f.TriggerType == "orchestrationTrigger").Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

        Assert.True(registered.SetEquals(published),
            $"Registered without a function: {string.Join(", ", registered.Except(published))}; functions not registered: {string.Join(", ", published.Except(registered))}.");
    }

    [Fact]
    public void Metadata_ActivityTriggers_AreExactlyTheActivitiesTheLocalEngineRegisters()
    {
        var registered = Registry.GetActivities().Select(a => a.Key.Name).ToHashSet(StringComparer.Ordinal);
        var published = Functions.Where(f => f.TriggerType == "activityTrigger").Select(f => f.Name).ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(registered);
        Assert.True(registered.SetEquals(published),
            $"Registered without a function: {string.Join(", ", registered.Except(published))}; functions not registered: {string.Join(", ", published.Except(registered))}.");
    }

    [Fact]
    public void Metadata_EveryWorkflowIntakeStarts_HasAnOrchestrationTriggerOfItsCatalogName()
    {
        var orchestrations = Functions.Where(f => f.TriggerType == "orchestrationTrigger").Select(f => f.Name).ToList();
        var started = Enum.GetValues<WorkflowKind>().Select(WorkflowCatalog.OrchestratorFor).ToList();

        Assert.Equal(7, started.Distinct().Count());
        Assert.All(started, name => Assert.Contains(name, orchestrations));
        Assert.Equal(
            ["AccountCare", "ComplaintHandling", "MeetingPreparation", "ProposalFollowUp", "ReferenceLetter", "SaleCycle", "TenderPreparation"],
            started.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Metadata_EveryFunction_IsIndexedFromKamFlowsFunctionsOnce()
    {
        var functions = Functions;

        Assert.NotEmpty(functions);
        Assert.Equal(functions.Count, functions.Select(f => f.Name).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(functions, f =>
        {
            Assert.Equal("KamFlows.Functions.dll", f.ScriptFile);
            Assert.Equal("dotnet-isolated", f.Language);
            Assert.StartsWith("KamFlows.Functions.", f.EntryPoint, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Metadata_HttpRoutesAndMethods_AreExactlyTheLocalHostsRoutesUnderApi()
    {
        var local = await LocalHostRoutesAsync();
        var published = Functions.Where(f => f.TriggerType == "httpTrigger")
            .SelectMany(f => f.Trigger["methods"]!.AsArray().Select(m => $"{((string)m!).ToUpperInvariant()} {(string)f.Trigger["route"]!}"))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("POST webhooks/{source}", published);
        Assert.True(local.SetEquals(published),
            $"Served locally, no function: {string.Join(", ", local.Except(published))}; functions the local host does not serve: {string.Join(", ", published.Except(local))}.");
    }

    [Fact]
    public void Metadata_HttpTriggers_AreAnonymous_TheAppChecksSignaturesAndApiKeysItself()
    {
        var http = Functions.Where(f => f.TriggerType == "httpTrigger").ToList();

        Assert.NotEmpty(http);
        // Function keys would lock out CRMs (they sign instead) and the management clients (X-Api-Key).
        Assert.All(http, f => Assert.Equal("Anonymous", (string?)f.Trigger["authLevel"], ignoreCase: true));
        Assert.All(http, f => Assert.Contains(f.Bindings, b => (string?)b["type"] == "http" && (string?)b["direction"] == "Out"));
    }

    [Fact]
    public void Metadata_Timers_ProcessIntakeEvery10SecondsThroughADurableClient_AndDeliverEmailEvery30Seconds()
    {
        var timers = Functions.Where(f => f.TriggerType == "timerTrigger").ToDictionary(f => f.Name, StringComparer.Ordinal);

        Assert.Equal(["DeliverEmail", "ProcessIntake"], timers.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("*/10 * * * * *", (string?)timers["ProcessIntake"].Trigger["schedule"]);
        Assert.Equal(TriggeredWorkFunctions.IntakeSchedule, (string?)timers["ProcessIntake"].Trigger["schedule"]);
        // Intake starts and signals workflows, so it gets the task hub's client.
        Assert.Contains(timers["ProcessIntake"].Bindings, b => (string?)b["type"] == "durableClient");
        Assert.Equal("*/30 * * * * *", (string?)timers["DeliverEmail"].Trigger["schedule"]);
    }

    [Fact]
    public void Package_DurableTaskExtension_IsShippedForTheHostToLoad()
    {
        var extensions = app.Json("extensions.json")["extensions"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var durable = Assert.Single(extensions, e => (string?)e["name"] == "DurableTask");
        var hintPath = (string)durable["hintPath"]!;

        Assert.Contains("Microsoft.Azure.WebJobs.Extensions.DurableTask", (string?)durable["typeName"], StringComparison.Ordinal);
        Assert.True(app.Has(hintPath), $"extensions.json points at {hintPath}, which the package does not contain.");
    }

    /// <summary>"METHOD route" of every endpoint the local host maps under /api, route as a Functions route (no api/ prefix).</summary>
    private static async Task<HashSet<string>> LocalHostRoutesAsync()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { ["KamFlows:Api:Keys:0"] = "routes-only-key-0123456789" });
        builder.Services.AddKamFlowsHost(builder.Configuration, new ResolvedStorage { TaskHub = "routes", ConnectionString = "UseDevelopmentStorage=true", Description = "not used" });
        await using var host = builder.Build();
        host.MapKamFlowsEndpoints();
        return ((IEndpointRouteBuilder)host).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/", StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText!["/api/".Length..]}"))
            .ToHashSet(StringComparer.Ordinal);
    }
}
