namespace KamFlows.Domain.Contacts;

/// <summary>
/// The client's whole decision scheme, formal and informal (seeds 000, 001): everyone who reads,
/// influences or signs off a proposal.
/// Invariant: all members belong to <see cref="AccountId"/> and contact ids are unique.
/// </summary>
public sealed class DecisionMakingUnit
{
    public DecisionMakingUnit(string accountId, IEnumerable<Contact> members)
    {
        ArgumentNullException.ThrowIfNull(members);
        AccountId = EntityId.Require(accountId);
        Members = members.ToValueList();
        if (Members.FirstOrDefault(m => m.AccountId != AccountId) is { } stranger)
        {
            throw new ArgumentException($"Contact '{stranger.Id}' belongs to account '{stranger.AccountId}', not '{AccountId}'.", nameof(members));
        }

        if (Members.GroupBy(m => m.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw new ArgumentException($"Contact '{duplicate.Key}' appears twice in the decision-making unit.", nameof(members));
        }
    }

    public string AccountId { get; }

    public ValueList<Contact> Members { get; }

    /// <summary>The roles present in the unit, in enum order.</summary>
    public ValueList<DmuRole> Roles => Members.Select(m => m.Role).Distinct().Order().ToValueList();

    /// <summary>Members with high influence, the people a deal cannot pass without.</summary>
    public ValueList<Contact> KeyPeople => Members.Where(m => m.Influence == Influence.High).ToValueList();

    /// <summary>Members who work against us, most influential first.</summary>
    public ValueList<Contact> Opponents =>
        Members.Where(m => m.Attitude == Attitude.Opponent).OrderByDescending(m => m.Influence).ToValueList();

    public bool HasChampion => Members.Any(m => m.Attitude == Attitude.Champion);

    public ValueList<Contact> WithRole(DmuRole role) => Members.Where(m => m.Role == role).ToValueList();

    /// <summary>
    /// The roles present in the unit that a proposal has not addressed yet; proposal reminders list them
    /// so the KAM covers every reader (seed 001).
    /// </summary>
    public ValueList<DmuRole> UnaddressedRoles(IEnumerable<DmuRole> addressedRoles)
    {
        ArgumentNullException.ThrowIfNull(addressedRoles);
        return Roles.Except(addressedRoles).ToValueList();
    }
}
