using KamFlows.Domain.Events;
using KamFlows.Workflows;
using Microsoft.DurableTask;

namespace KamFlows.Functions.Tests;

/// <summary>
/// functions.metadata of the published app against what the local engine registers (WorkflowsRegistration): a workflow or
/// activity the local host runs but Azure has no function for would fail there only at run time, when an instance calls it.
/// </summary>
public sealed class PublishedFunctionsMetadataTests(PublishedFunctionsApp app) : IClassFixture<PublishedFunctionsApp>
{
    private static readonly DurableTaskRegistry Registry = WorkflowsRegistration.Register(new DurableTaskRegistry());

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

        Assert.Equal(5, started.Distinct().Count());
        Assert.All(started, name => Assert.Contains(name, orchestrations));
        Assert.Equal(
            ["AccountCare", "ProposalFollowUp", "ReferenceLetter", "SaleCycle", "TenderPreparation"],
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
    public void Package_DurableTaskExtension_IsShippedForTheHostToLoad()
    {
        var extensions = app.Json("extensions.json")["extensions"]!.AsArray().Select(e => e!.AsObject()).ToList();
        var durable = Assert.Single(extensions, e => (string?)e["name"] == "DurableTask");
        var hintPath = (string)durable["hintPath"]!;

        Assert.Contains("Microsoft.Azure.WebJobs.Extensions.DurableTask", (string?)durable["typeName"], StringComparison.Ordinal);
        Assert.True(app.Has(hintPath), $"extensions.json points at {hintPath}, which the package does not contain.");
    }
}
