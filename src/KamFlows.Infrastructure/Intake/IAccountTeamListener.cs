using KamFlows.Workflows.Ports;

namespace KamFlows.Infrastructure.Intake;

/// <summary>
/// Told after an account's profile (its KAM and head) was applied from intake, so the parts that address people —
/// the digests — know who they are without a manual registration.
/// </summary>
public interface IAccountTeamListener
{
    Task AccountTeamChangedAsync(AccountProfile profile, CancellationToken cancellationToken);
}
