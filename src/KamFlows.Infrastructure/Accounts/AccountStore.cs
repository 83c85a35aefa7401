// The account state KamFlows keeps, projected from canonical events into {hub}Accounts and {hub}PersonalData.
// Invariants:
// - every change is keyed by an EventMark per aspect of a row: applying an event twice, or an older event after a
//   newer one, changes nothing (idempotent and order-tolerant);
// - rows are written under ETag optimistic concurrency (OptimisticRow);
// - the account row's LastContactAt/FirstEventAt only move outward (AccountContact), whatever the order of events;
// - personal data (birthday, hobbies, family, values) is written only to {hub}PersonalData, never to a contact row;
//   a contact once erased stays erased: later events update its DMU role, influence and attitude only, and never
//   bring back its name, email, phone or personal data.
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using KamFlows.Domain.Contacts;
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Infrastructure.Storage;
using KamFlows.Infrastructure.Timeline;

namespace KamFlows.Infrastructure.Accounts;

/// <summary>Applies canonical events to the account store.</summary>
public sealed class AccountStore
{
    public const string AccountsTable = "Accounts";
    public const string PersonalDataTable = "PersonalData";

    private readonly TableClient _accounts;
    private readonly TableClient _personal;
    private readonly TimelineStore _timeline;
    private readonly Lazy<Task> _created;
    private readonly KnownContactColumns _knownContacts = new();

    public AccountStore(StorageClients clients, TimelineStore timeline)
    {
        ArgumentNullException.ThrowIfNull(clients);
        _accounts = clients.Table(AccountsTable);
        _personal = clients.Table(PersonalDataTable);
        _timeline = timeline;
        _created = new Lazy<Task>(() => Task.WhenAll(_accounts.CreateIfNotExistsAsync(), _personal.CreateIfNotExistsAsync()));
    }

    internal TableClient Accounts => _accounts;

    internal TableClient PersonalData => _personal;

    internal TimelineStore Timeline => _timeline;

    public Task EnsureCreatedAsync() => _created.Value;

    /// <summary>Writes of this process refused because another writer changed the row first (each recomputed and retried).</summary>
    public static long WriteConflicts => OptimisticRow.Conflicts;

    /// <summary>Applies one event; safe to call again with the same event.</summary>
    public async Task ApplyAsync(CanonicalEvent canonicalEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(canonicalEvent);
        await EnsureCreatedAsync().ConfigureAwait(false);
        await ApplyCoreAsync(canonicalEvent, batch: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Applies several events of one account: every row they change is read once and the rows are written together in
    /// entity-group transactions (one read-modify-write of the account instead of one per event). Contacts with personal
    /// data, erasures and meetings, which touch more than one row or table, are applied one by one. Safe to call again with the same events;
    /// the result does not depend on their order (every aspect is ordered by its event mark).
    /// </summary>
    public async Task ApplyManyAsync(string accountId, IReadOnlyList<CanonicalEvent> events, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accountId);
        ArgumentNullException.ThrowIfNull(events);
        await EnsureCreatedAsync().ConfigureAwait(false);
        if (events.FirstOrDefault(e => !string.Equals(e.AccountId, accountId, StringComparison.Ordinal)) is { } stranger)
        {
            throw new ArgumentException($"Event {stranger.Id} is for account {stranger.AccountId}, not {accountId}.", nameof(events));
        }

        var batch = new AccountRowChanges(_accounts, accountId, _knownContacts);
        foreach (var canonicalEvent in events)
        {
            await ApplyCoreAsync(canonicalEvent, batch, cancellationToken).ConfigureAwait(false);
        }

        await batch.SaveAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ApplyCoreAsync(CanonicalEvent canonicalEvent, AccountRowChanges? batch, CancellationToken cancellationToken)
    {
        var pk = canonicalEvent.AccountId;
        var mark = EventMark.Of(canonicalEvent);
        var at = canonicalEvent.Time.ToDateTimeOffset();
        Task Update(string rowKey, Func<TableEntity, bool> change) =>
            batch is null ? OptimisticRow.UpdateAsync(_accounts, pk, rowKey, change, cancellationToken) : batch.Add(rowKey, change);

        switch (canonicalEvent.Data)
        {
            case AccountUpserted d:
                await Update(AccountRows.Account, row =>
                {
                    if (!EventMark.Advance(row, "Details", mark))
                    {
                        return false;
                    }

                    row["Event"] = CanonicalEventJson.Serialize(canonicalEvent);
                    row["Name"] = d.Name;
                    row["KamEmail"] = d.Kam.Email.Value;
                    row["Currency"] = d.Currency.Code;
                    row["IsKeyAccount"] = d.IsKeyAccount;
                    return true;
                }).ConfigureAwait(false);
                break;
            case ContactUpserted { PersonalData: null } d when batch is not null:
                // Nothing for the personal-data table: only the contact row changes, read and written with the batch.
                await batch.Add(AccountRows.Key(AccountRows.Contact, d.ContactId), row => SetContact(row, canonicalEvent, d, mark)).ConfigureAwait(false);
                break;
            case ContactUpserted d:
                await ApplyContactAsync(canonicalEvent, d, mark, cancellationToken).ConfigureAwait(false);
                break;
            case ContactErased d:
                await EraseContactAsync(canonicalEvent, d, mark, cancellationToken).ConfigureAwait(false);
                break;
            case RevenueReported d:
                await Update(AccountRows.RevenueKey(d.PeriodStart, d.PeriodEnd), row =>
                {
                    if (!EventMark.Advance(row, "Details", mark))
                    {
                        return false;
                    }

                    row["PeriodStart"] = JsonText.Format(d.PeriodStart);
                    row["PeriodEnd"] = JsonText.Format(d.PeriodEnd);
                    row["Amount"] = AccountRows.Amount(d.Revenue.Amount);
                    row["Currency"] = d.Revenue.Currency.Code;
                    // The latest report of the period wins whole: one without a margin clears an earlier one's.
                    row["MarginPercent"] = d.MarginPercent is { } margin ? AccountRows.Amount(margin) : null;
                    row["GrossMargin"] = d.GrossMargin is { } gross ? AccountRows.Amount(gross.Amount) : null;
                    return true;
                }).ConfigureAwait(false);
                break;
            case OpportunityUpserted d:
                await Update(AccountRows.Key(AccountRows.Opportunity, d.OpportunityId), row =>
                {
                    var details = EventMark.Advance(row, "Details", mark);
                    if (details)
                    {
                        row["Name"] = d.Name;
                        row["Amount"] = d.Amount is null ? null : AccountRows.Amount(d.Amount.Amount);
                        row["Currency"] = d.Amount?.Currency.Code;
                        row["ExpectedCloseDate"] = d.ExpectedCloseDate is { } close ? JsonText.Format(close) : null;
                    }

                    return SetStage(row, WireName.Of(d.Stage), mark, at) | details;
                }).ConfigureAwait(false);
                break;
            case OpportunityStageChanged d:
                await Update(AccountRows.Key(AccountRows.Opportunity, d.OpportunityId), row => SetStage(row, WireName.Of(d.Stage), mark, at)).ConfigureAwait(false);
                break;
            case MeetingLogged d:
                await ApplyMeetingAsync(pk, d, mark, cancellationToken).ConfigureAwait(false);
                break;
            case ProposalSent d:
                await Update(AccountRows.Key(AccountRows.Proposal, d.ProposalId), row =>
                    SetProposalDetails(row, mark, d.Version, d.Total, d.ValidUntil, at, d.DiscountPercent, d.AddressedRoles, d.OpportunityId, d.TenderId)
                    | SetStatus(row, "sent", mark)).ConfigureAwait(false);
                break;
            case ProposalRevised d:
                await Update(AccountRows.Key(AccountRows.Proposal, d.ProposalId), row =>
                    SetProposalDetails(row, mark, d.Version, d.Total, d.ValidUntil, at, d.DiscountPercent, d.AddressedRoles, null, null)
                    | SetStatus(row, "sent", mark)).ConfigureAwait(false);
                break;
            case ProposalAcknowledged d:
                await Update(AccountRows.Key(AccountRows.Proposal, d.ProposalId), row => SetStatus(row, "acknowledged", mark)).ConfigureAwait(false);
                break;
            case ProposalMeetingAgreed d:
                await Update(AccountRows.Key(AccountRows.Proposal, d.ProposalId), row =>
                {
                    if (!SetStatus(row, "meeting_agreed", mark))
                    {
                        return false;
                    }

                    row["MeetingAt"] = d.MeetingAt.ToDateTimeOffset();
                    return true;
                }).ConfigureAwait(false);
                break;
            case ProposalAccepted d:
                await Update(AccountRows.Key(AccountRows.Proposal, d.ProposalId), row => SetStatus(row, "accepted", mark)).ConfigureAwait(false);
                break;
            case ProposalRejected d:
                await Update(AccountRows.Key(AccountRows.Proposal, d.ProposalId), row => SetStatus(row, "rejected", mark)).ConfigureAwait(false);
                break;
            case ProposalDrafted d:
                await Update(AccountRows.Key(AccountRows.Proposal, d.ProposalId), row => SetPriceApproval(row, d.Version, "drafted", mark)).ConfigureAwait(false);
                break;
            case ProposalPriceApproved d:
                await Update(AccountRows.Key(AccountRows.Proposal, d.ProposalId), row => SetPriceApproval(row, d.Version, "approved", mark)).ConfigureAwait(false);
                break;
            case ProposalPriceDeclined d:
                await Update(AccountRows.Key(AccountRows.Proposal, d.ProposalId), row => SetPriceApproval(row, d.Version, "declined", mark)).ConfigureAwait(false);
                break;
            case TenderAnnounced d:
                await Update(AccountRows.Key(AccountRows.Tender, d.TenderId), row =>
                {
                    var details = EventMark.Advance(row, "Details", mark);
                    if (details)
                    {
                        row["Title"] = d.Title;
                        row["OpportunityId"] = d.OpportunityId;
                        row["ResultExpectedOn"] = d.ResultExpectedOn is { } r ? JsonText.Format(r) : null;
                    }

                    return SetTenderDate(row, d.TenderDate, mark) | details;
                }).ConfigureAwait(false);
                break;
            case TenderDateChanged d:
                await Update(AccountRows.Key(AccountRows.Tender, d.TenderId), row => SetTenderDate(row, d.TenderDate, mark)).ConfigureAwait(false);
                break;
            case TenderResult d:
                await Update(AccountRows.Key(AccountRows.Tender, d.TenderId), row =>
                {
                    if (!EventMark.Advance(row, "Outcome", mark))
                    {
                        return false;
                    }

                    row["Outcome"] = WireName.Of(d.Outcome);
                    row["Winner"] = d.Winner;
                    row["ContractId"] = d.ContractId;
                    return true;
                }).ConfigureAwait(false);
                break;
            case ContractSigned d:
                await Update(AccountRows.Key(AccountRows.Contract, d.ContractId), row =>
                {
                    if (!EventMark.Advance(row, "Details", mark))
                    {
                        return false;
                    }

                    row["StartsOn"] = JsonText.Format(d.StartsOn);
                    row["EndsOn"] = JsonText.Format(d.EndsOn);
                    row["Amount"] = d.Value is null ? null : AccountRows.Amount(d.Value.Amount);
                    row["Currency"] = d.Value?.Currency.Code;
                    row["ProposalId"] = d.ProposalId;
                    row["TenderId"] = d.TenderId;
                    row["OpportunityId"] = d.OpportunityId;
                    return true;
                }).ConfigureAwait(false);
                break;
            case DeliveryCompleted d:
                await Update(AccountRows.Key(AccountRows.Delivery, d.DeliveryId), row =>
                {
                    if (!EventMark.Advance(row, "Details", mark))
                    {
                        return false;
                    }

                    row["CompletedAt"] = at;
                    row["OnTime"] = d.OnTime;
                    row["ExpectationsMet"] = d.ExpectationsMet;
                    row["ContractId"] = d.ContractId;
                    return true;
                }).ConfigureAwait(false);
                break;
            case DeliveryScheduled d:
                await Update(AccountRows.Key(AccountRows.Delivery, d.DeliveryId), row =>
                {
                    if (!EventMark.Advance(row, "Schedule", mark))
                    {
                        return false;
                    }

                    row["DueOn"] = JsonText.Format(d.DueOn);
                    row["Description"] = d.Description;
                    row["ScheduledContractId"] = d.ContractId;
                    return true;
                }).ConfigureAwait(false);
                break;
            case ComplaintOpened d:
                await Update(AccountRows.Key(AccountRows.Complaint, d.ComplaintId), row =>
                {
                    if (!EventMark.Advance(row, "Opened", mark))
                    {
                        return false;
                    }

                    row["OpenedAt"] = at;
                    row["DeliveryId"] = d.DeliveryId;
                    row["Summary"] = d.Summary;
                    return true;
                }).ConfigureAwait(false);
                break;
            case ComplaintResolved d:
                await Update(AccountRows.Key(AccountRows.Complaint, d.ComplaintId), row =>
                {
                    if (!EventMark.Advance(row, "Resolved", mark))
                    {
                        return false;
                    }

                    row["ResolvedAt"] = at;
                    row["Resolution"] = d.Resolution;
                    row["DeliveryId"] ??= d.DeliveryId;
                    return true;
                }).ConfigureAwait(false);
                break;
            case ComplaintClosed d:
                await Update(AccountRows.Key(AccountRows.Complaint, d.ComplaintId), row =>
                {
                    if (!EventMark.Advance(row, "Closed", mark))
                    {
                        return false;
                    }

                    row["ClosedAt"] = at;
                    row["DeliveryId"] ??= d.DeliveryId;
                    return true;
                }).ConfigureAwait(false);
                break;
            case ReferenceReceived d:
                await Update(AccountRows.Key(AccountRows.Reference, canonicalEvent.Id), row =>
                {
                    if (!EventMark.Advance(row, "Details", mark))
                    {
                        return false;
                    }

                    row["Kind"] = WireName.Of(d.Kind);
                    row["DeliveryId"] = d.DeliveryId;
                    row["ContactId"] = d.ContactId;
                    row["Url"] = d.Url?.OriginalString;
                    row["ReferredCompany"] = d.ReferredCompany;
                    row["ReceivedAt"] = at;
                    return true;
                }).ConfigureAwait(false);
                break;
            case MeetingScheduled d:
                await Update(AccountRows.Key(AccountRows.Meeting, d.MeetingId), row =>
                {
                    if (!EventMark.Advance(row, "Schedule", mark))
                    {
                        return false;
                    }

                    row["StartsAt"] = d.StartsAt.ToDateTimeOffset();
                    row["EndsAt"] = d.End.ToDateTimeOffset();
                    row["OpportunityId"] ??= d.OpportunityId;
                    row["ProposalId"] ??= d.ProposalId;
                    row["TenderId"] ??= d.TenderId;
                    return true;
                }).ConfigureAwait(false);
                break;
            case MeetingCancelled d:
                await Update(AccountRows.Key(AccountRows.Meeting, d.MeetingId), row =>
                {
                    if (!EventMark.Advance(row, "Cancelled", mark))
                    {
                        return false;
                    }

                    row["CancelledAt"] = at;
                    return true;
                }).ConfigureAwait(false);
                break;
            default:
                throw new ArgumentException($"No account projection for {canonicalEvent.Type}.", nameof(canonicalEvent));
        }

        // The last contact for the head's weekly report (dormant key accounts): in a batch, without a read when this process knows the row.
        Func<TableEntity, bool> contact = row => AccountContact.Record(row, canonicalEvent);
        await (batch is null ? OptimisticRow.UpdateAsync(_accounts, pk, AccountRows.Account, contact, cancellationToken) : batch.AddContactChange(contact)).ConfigureAwait(false);
    }

    private async Task ApplyContactAsync(CanonicalEvent canonicalEvent, ContactUpserted d, string mark, CancellationToken cancellationToken)
    {
        var rowKey = AccountRows.Key(AccountRows.Contact, d.ContactId);
        var current = await _accounts.GetEntityIfExistsAsync<TableEntity>(d.AccountId, rowKey, cancellationToken: cancellationToken).ConfigureAwait(false);
        var erased = current.HasValue && current.Value!.GetBoolean("Erased") == true;

        // Personal data first: if the contact row were written first and the process died, a retry would find the
        // contact's mark already applied and never store the personal data.
        if (!erased && d.PersonalData is { } personal)
        {
            await OptimisticRow.UpdateAsync(_personal, d.AccountId, d.ContactId, row =>
            {
                if (!EventMark.Advance(row, "Details", mark))
                {
                    return false;
                }

                PersonalDataColumns.Write(row, personal);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }

        await OptimisticRow.UpdateAsync(_accounts, d.AccountId, rowKey, row => SetContact(row, canonicalEvent, d, mark), cancellationToken).ConfigureAwait(false);
    }

    private static bool SetContact(TableEntity row, CanonicalEvent canonicalEvent, ContactUpserted d, string mark)
    {
        if (!EventMark.Advance(row, "Details", mark))
        {
            return false;
        }

        var isErased = row.GetBoolean("Erased") == true;
        var kept = isErased ? ErasedForm(d) : d.WithoutPersonalData();
        row["Event"] = CanonicalEventJson.Serialize(canonicalEvent with { Data = kept });
        row["Name"] = kept.Name;
        row["Email"] = kept.Email?.Value;
        row["Role"] = WireName.Of(d.Role);
        row["Influence"] = WireName.Of(d.Influence);
        row["Attitude"] = WireName.Of(d.Attitude);
        row["Erased"] = isErased;
        row["HasPersonalData"] = !isErased && (d.PersonalData is not null || row.GetBoolean("HasPersonalData") == true);
        return true;
    }

    private async Task EraseContactAsync(CanonicalEvent canonicalEvent, ContactErased d, string mark, CancellationToken cancellationToken)
    {
        await OptimisticRow.UpdateAsync(_accounts, d.AccountId, AccountRows.Key(AccountRows.Contact, d.ContactId), row =>
        {
            if (row.GetBoolean("Erased") == true)
            {
                return false;
            }

            row["Erased"] = true;
            row["ErasedAt"] = canonicalEvent.Time.ToDateTimeOffset();
            row["ErasedMark"] = mark;
            row["Name"] = Contact.ErasedName;
            row["Email"] = null;
            row["HasPersonalData"] = false;
            if (row.GetString("Event") is { } json && CanonicalEventParser.Parse(json) is { IsValid: true } stored && stored.Event.Data is ContactUpserted kept)
            {
                row["Event"] = CanonicalEventJson.Serialize(stored.Event with { Data = ErasedForm(kept) });
            }

            return true;
        }, cancellationToken).ConfigureAwait(false);

        // Run on every retry too: each step is idempotent, and a crash may have stopped the previous attempt midway.
        try
        {
            await _personal.DeleteEntityAsync(d.AccountId, d.ContactId, ETag.All, cancellationToken).ConfigureAwait(false);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Nothing was held.
        }

        await _timeline.EraseContactAsync(d.AccountId, d.ContactId, cancellationToken).ConfigureAwait(false);
    }

    private async Task ApplyMeetingAsync(string pk, MeetingLogged d, string mark, CancellationToken cancellationToken)
    {
        await OptimisticRow.UpdateAsync(_accounts, pk, AccountRows.Key(AccountRows.Meeting, d.MeetingId), row =>
        {
            if (!EventMark.Advance(row, "Details", mark))
            {
                return false;
            }

            row["HeldAt"] = d.HeldAt.ToDateTimeOffset();
            row["OpportunityId"] = d.OpportunityId;
            row["ProposalId"] = d.ProposalId;
            row["TenderId"] = d.TenderId;
            row["NextStep"] = d.NextStep;
            row["Summary"] = d.Summary;
            row["NextStepDue"] = d.NextStepDue is { } due ? JsonText.Format(due) : null;
            return true;
        }, cancellationToken).ConfigureAwait(false);

        if (d.OpportunityId is { } opportunityId)
        {
            var heldAt = d.HeldAt.ToDateTimeOffset();
            await OptimisticRow.UpdateAsync(_accounts, pk, AccountRows.Key(AccountRows.Opportunity, opportunityId), row =>
            {
                if (row.GetDateTimeOffset("LastMeetingAt") is { } last && last >= heldAt)
                {
                    return false;
                }

                row["LastMeetingAt"] = heldAt;
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool SetStage(TableEntity row, string stage, string mark, DateTimeOffset at)
    {
        if (!EventMark.Advance(row, "Stage", mark))
        {
            return false;
        }

        if (row.GetString("Stage") != stage)
        {
            row["Stage"] = stage;
            row["StageEnteredAt"] = at;
        }

        return true;
    }

    private static bool SetStatus(TableEntity row, string status, string mark)
    {
        if (!EventMark.Advance(row, "Status", mark))
        {
            return false;
        }

        row["Status"] = status;
        return true;
    }

    /// <summary>The head's price decision (issue 14), as <c>v{version} {drafted|approved|declined}</c>; the proposal's own status is untouched.</summary>
    private static bool SetPriceApproval(TableEntity row, int version, string decision, string mark)
    {
        if (!EventMark.Advance(row, "PriceApproval", mark))
        {
            return false;
        }

        row["PriceApproval"] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"v{version} {decision}");
        return true;
    }

    private static bool SetTenderDate(TableEntity row, NodaTime.LocalDate date, string mark)
    {
        if (!EventMark.Advance(row, "Date", mark))
        {
            return false;
        }

        row["TenderDate"] = JsonText.Format(date);
        return true;
    }

    private static bool SetProposalDetails(TableEntity row, string mark, int version, Domain.Common.Money total, NodaTime.LocalDate validUntil, DateTimeOffset sentAt,
        decimal? discount, Domain.Common.ValueList<DmuRole> roles, string? opportunityId, string? tenderId)
    {
        if (!EventMark.Advance(row, "Details", mark))
        {
            return false;
        }

        row["Version"] = version;
        row["Amount"] = AccountRows.Amount(total.Amount);
        row["Currency"] = total.Currency.Code;
        row["ValidUntil"] = JsonText.Format(validUntil);
        row["SentAt"] = sentAt;
        row["DiscountPercent"] = discount is { } p ? AccountRows.Amount(p) : null;
        row["AddressedRoles"] = string.Join(",", roles.Select(r => WireName.Of(r)));
        row["OpportunityId"] = opportunityId ?? row.GetString("OpportunityId");
        row["TenderId"] = tenderId ?? row.GetString("TenderId");
        return true;
    }

    private static ContactUpserted ErasedForm(ContactUpserted d) =>
        d with { Name = Contact.ErasedName, Email = null, Phone = null, JobTitle = null, PersonalData = null };
}

/// <summary>How personal data sits in a {hub}PersonalData row: birthday as ISO text, lists as JSON arrays.</summary>
internal static class PersonalDataColumns
{
    public static void Write(TableEntity row, PersonalDataPayload personal)
    {
        row["Birthday"] = personal.Birthday?.ToString();
        row["Hobbies"] = JsonSerializer.Serialize(personal.Hobbies.ToArray());
        row["Values"] = JsonSerializer.Serialize(personal.Values.ToArray());
        row["Family"] = JsonSerializer.Serialize(personal.Family.Select(f => new[] { f.Relation, f.Name, f.Birthday?.ToString() }).ToArray());
    }

    public static IReadOnlyList<string> Hobbies(TableEntity row) =>
        row.GetString("Hobbies") is { } json ? JsonSerializer.Deserialize<string[]>(json) ?? [] : [];
}
