using KamFlows.Workflows.Ports;
using Microsoft.DurableTask;

namespace KamFlows.Workflows.Activities;

/// <summary>The account's complaints (ids and times only), read when a reference or referral request is about to go out.</summary>
public sealed class ReadAccountComplaintsActivity(IAccountReader accounts) : TaskActivity<string, IReadOnlyList<ComplaintFacts>>
{
    public override Task<IReadOnlyList<ComplaintFacts>> RunAsync(TaskActivityContext context, string input)
    {
        ArgumentException.ThrowIfNullOrEmpty(input);
        return accounts.GetComplaintsAsync(input, CancellationToken.None);
    }
}
