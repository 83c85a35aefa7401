using Microsoft.DurableTask;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Activities;

/// <summary>Reads the account profile (KAM, head, calendars, floor, bonds); null while the account is unknown. No personal data.</summary>
public sealed class ReadAccountProfileActivity(IAccountReader accounts) : TaskActivity<string, AccountProfile?>
{
    public override async Task<AccountProfile?> RunAsync(TaskActivityContext context, string input)
    {
        ArgumentNullException.ThrowIfNull(context);
        return await accounts.GetProfileAsync(input, CancellationToken.None).ConfigureAwait(false);
    }
}
