using KamFlows.Domain.Events.Data;

namespace KamFlows.Domain.Events;

/// <summary>
/// The workflow instance key of a business object: <c>account:{id}</c>, <c>opportunity:{id}</c>, <c>proposal:{id}</c>,
/// <c>tender:{id}</c>, <c>delivery:{id}</c>, <c>complaint:{id}</c>, <c>meeting:{id}</c>. Ids follow <see cref="EntityId"/> rules, so the key is safe as a storage key;
/// an id may itself contain ':' (parsing splits at the first one).
/// </summary>
public sealed record BusinessKey
{
    public BusinessKey(WorkflowKind kind, string id)
    {
        Kind = Enum.IsDefined(kind) ? kind : throw new ArgumentOutOfRangeException(nameof(kind));
        Id = EntityId.Require(id);
    }

    public WorkflowKind Kind { get; }

    public string Id { get; }

    public static BusinessKey Account(string id) => new(WorkflowKind.Account, id);

    public static BusinessKey Opportunity(string id) => new(WorkflowKind.Opportunity, id);

    public static BusinessKey Proposal(string id) => new(WorkflowKind.Proposal, id);

    public static BusinessKey Tender(string id) => new(WorkflowKind.Tender, id);

    public static BusinessKey Delivery(string id) => new(WorkflowKind.Delivery, id);

    public static BusinessKey Complaint(string id) => new(WorkflowKind.Complaint, id);

    public static BusinessKey Meeting(string id) => new(WorkflowKind.Meeting, id);

    public static bool TryParse(string? text, [NotNullWhen(true)] out BusinessKey? key)
    {
        key = null;
        var colon = text?.IndexOf(':', StringComparison.Ordinal) ?? -1;
        if (colon <= 0 || !WireName.TryParse<WorkflowKind>(text![..colon], out var kind) || !EntityId.IsValid(text[(colon + 1)..]))
        {
            return false;
        }

        key = new BusinessKey(kind, text[(colon + 1)..]);
        return true;
    }

    /// <exception cref="FormatException">The text is not <c>kind:id</c> with a known kind and a valid id.</exception>
    public static BusinessKey Parse(string text) =>
        TryParse(text, out var key) ? key : throw new FormatException($"'{text}' is not a business key such as proposal:P-1001.");

    /// <summary>The primary workflow an event belongs to: the first of <see cref="RoutesFor(CanonicalEvent)"/>.</summary>
    public static BusinessKey For(CanonicalEvent canonicalEvent)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        return RoutesFor(canonicalEvent.Data)[0].Key;
    }

    /// <summary>
    /// Every workflow an event concerns, primary first. Every event also goes to its account's workflow (the
    /// account timeline records everything). <see cref="WorkflowRoute.StartsIfAbsent"/> marks the events that create
    /// the object the workflow follows; other events only signal an instance that already exists.
    /// <list type="bullet">
    /// <item>account.upserted (starts), contact.*, revenue.reported → account</item>
    /// <item>opportunity.upserted (starts), opportunity.stage_changed → opportunity, account</item>
    /// <item>meeting.logged → its opportunity, proposal and tender when given, account, then the meeting (only a scheduled one that exists)</item>
    /// <item>proposal.sent and proposal.revised (start), other proposal.* → proposal, its opportunity and tender when given, account</item>
    /// <item>tender.announced (starts), tender.date_changed, tender.result → tender, its opportunity when given, account</item>
    /// <item>contract.signed → account (renewals), its opportunity, proposal and tender when given</item>
    /// <item>delivery.completed (starts) → delivery, account</item>
    /// <item>delivery.scheduled → delivery (started when absent: its deadline is watched; a finished delivery is not started again), account</item>
    /// <item>proposal.drafted (starts) → proposal, its opportunity and tender when given, account; proposal.price_approved/declined → proposal, account</item>
    /// <item>complaint.opened (starts), complaint.resolved, complaint.closed → complaint, account, and the delivery when given (its reference request waits)</item>
    /// <item>reference.received → the delivery when given, account</item>
    /// <item>meeting.scheduled (starts) → meeting, its proposal when given, account; meeting.cancelled → meeting (only if it exists), account</item>
    /// </list>
    /// </summary>
    public static ValueList<WorkflowRoute> RoutesFor(CanonicalEvent canonicalEvent)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        return RoutesFor(canonicalEvent.Data);
    }

    /// <inheritdoc cref="RoutesFor(CanonicalEvent)"/>
    public static ValueList<WorkflowRoute> RoutesFor(ICanonicalEventData data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var account = Account(data.AccountId);
        var routes = new List<WorkflowRoute>();
        void Start(BusinessKey key) => routes.Add(new WorkflowRoute(key, StartsIfAbsent: true));
        void Signal(WorkflowKind kind, string? id)
        {
            if (id is not null)
            {
                routes.Add(new WorkflowRoute(new BusinessKey(kind, id), StartsIfAbsent: false));
            }
        }

        switch (data)
        {
            case AccountUpserted:
                Start(account);
                return routes.ToValueList();
            case ContactUpserted or ContactErased or RevenueReported:
                break;
            case OpportunityUpserted d:
                Start(Opportunity(d.OpportunityId));
                break;
            case OpportunityStageChanged d:
                Signal(WorkflowKind.Opportunity, d.OpportunityId);
                break;
            case MeetingLogged d:
                Signal(WorkflowKind.Opportunity, d.OpportunityId);
                Signal(WorkflowKind.Proposal, d.ProposalId);
                Signal(WorkflowKind.Tender, d.TenderId);
                routes.Add(new WorkflowRoute(account, StartsIfAbsent: false));
                routes.Add(new WorkflowRoute(Meeting(d.MeetingId), StartsIfAbsent: false, OnlyIfExists: true)); // Its outcome is recorded: a scheduled meeting's workflow stops asking. Last: the primary stays as before.
                return routes.ToValueList();
            case ProposalSent d:
                Start(Proposal(d.ProposalId));
                Signal(WorkflowKind.Opportunity, d.OpportunityId);
                Signal(WorkflowKind.Tender, d.TenderId);
                break;
            case ProposalRevised d:
                Start(Proposal(d.ProposalId));
                break;
            case ProposalAcknowledged d:
                Signal(WorkflowKind.Proposal, d.ProposalId);
                break;
            case ProposalMeetingAgreed d:
                Signal(WorkflowKind.Proposal, d.ProposalId);
                break;
            case ProposalAccepted d:
                Signal(WorkflowKind.Proposal, d.ProposalId);
                break;
            case ProposalRejected d:
                Signal(WorkflowKind.Proposal, d.ProposalId);
                break;
            case TenderAnnounced d:
                Start(Tender(d.TenderId));
                Signal(WorkflowKind.Opportunity, d.OpportunityId);
                break;
            case TenderDateChanged d:
                Signal(WorkflowKind.Tender, d.TenderId);
                break;
            case TenderResult d:
                Signal(WorkflowKind.Tender, d.TenderId);
                break;
            case ContractSigned d:
                routes.Add(new WorkflowRoute(account, StartsIfAbsent: false));
                Signal(WorkflowKind.Opportunity, d.OpportunityId);
                Signal(WorkflowKind.Proposal, d.ProposalId);
                Signal(WorkflowKind.Tender, d.TenderId);
                return routes.ToValueList();
            case DeliveryCompleted d:
                Start(Delivery(d.DeliveryId));
                break;
            case ComplaintOpened d:
                Start(Complaint(d.ComplaintId));
                routes.Add(new WorkflowRoute(account, StartsIfAbsent: false));
                Signal(WorkflowKind.Delivery, d.DeliveryId);
                return routes.ToValueList();
            case ComplaintResolved d:
                Signal(WorkflowKind.Complaint, d.ComplaintId);
                routes.Add(new WorkflowRoute(account, StartsIfAbsent: false));
                Signal(WorkflowKind.Delivery, d.DeliveryId);
                return routes.ToValueList();
            case ComplaintClosed d:
                Signal(WorkflowKind.Complaint, d.ComplaintId);
                routes.Add(new WorkflowRoute(account, StartsIfAbsent: false));
                Signal(WorkflowKind.Delivery, d.DeliveryId);
                return routes.ToValueList();
            case ProposalDrafted d:
                Start(Proposal(d.ProposalId));
                Signal(WorkflowKind.Opportunity, d.OpportunityId);
                Signal(WorkflowKind.Tender, d.TenderId);
                break;
            case ProposalPriceApproved d:
                Signal(WorkflowKind.Proposal, d.ProposalId);
                break;
            case ProposalPriceDeclined d:
                Signal(WorkflowKind.Proposal, d.ProposalId);
                break;
            case ReferenceReceived d:
                Signal(WorkflowKind.Delivery, d.DeliveryId);
                break;
            case DeliveryScheduled d:
                Signal(WorkflowKind.Delivery, d.DeliveryId); // A resend after the delivery's workflow ended must not watch a deadline again.
                break;
            case MeetingScheduled d:
                Start(Meeting(d.MeetingId));
                Signal(WorkflowKind.Proposal, d.ProposalId); // A proposal's meeting is prepared by its meeting workflow alone.
                break;
            case MeetingCancelled d:
                routes.Add(new WorkflowRoute(Meeting(d.MeetingId), StartsIfAbsent: false, OnlyIfExists: true)); // Never scheduled: nothing to cancel.
                break;
            default:
                throw new ArgumentException($"No routing for event data {data.GetType().Name}.", nameof(data));
        }

        routes.Add(new WorkflowRoute(account, StartsIfAbsent: false));
        return routes.ToValueList();
    }

    public override string ToString() => WireName.Of(Kind) + ":" + Id;
}

/// <summary>
/// Where an event goes: the instance key, and whether the event may start that instance when it does not exist yet
/// (<see cref="StartsIfAbsent"/> also restarts a finished one). <see cref="OnlyIfExists"/>: delivered only to an instance
/// that exists, never started (a logged meeting that was never scheduled must not cost an orchestration).
/// </summary>
public sealed record WorkflowRoute(BusinessKey Key, bool StartsIfAbsent, bool OnlyIfExists = false);
