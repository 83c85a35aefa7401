using KamFlows.Infrastructure.Intake;
using KamFlows.Workflows.Ports;

namespace KamFlows.Infrastructure.Notifications.Digests;

/// <summary>Registers an account's KAM and head for digests whenever intake applies the account's profile.</summary>
public sealed class DigestTeamListener(RecipientDirectory directory) : IAccountTeamListener
{
    public Task AccountTeamChangedAsync(AccountProfile profile, CancellationToken cancellationToken) =>
        directory.RegisterAccountTeamAsync(profile, cancellationToken);
}
