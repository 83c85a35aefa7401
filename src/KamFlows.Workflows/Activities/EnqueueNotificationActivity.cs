using KamFlows.Domain.Calendar;
using KamFlows.Domain.Contacts;
using KamFlows.Domain.Events;
using Microsoft.DurableTask;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Activities;

/// <summary>
/// Turns a workflow's draft into an outbox request: the recipient from the current account profile (or the client
/// contact), the fields only the ports know (names, DMU, roles not addressed), then checks the kind's fields are
/// all there and enqueues (idempotent by notification id).
/// </summary>
public sealed class EnqueueNotificationActivity(INotificationOutbox outbox, IAccountReader accounts) : TaskActivity<NotificationDraft, NotificationOutcome>
{
    /// <summary>Who reads a proposal when the DMU is not mapped yet (seed 001): executives, people, finance, technical.</summary>
    private static readonly string[] ProposalReaders =
        [WireName.Of(DmuRole.Executive), WireName.Of(DmuRole.PeopleOriented), WireName.Of(DmuRole.Finance), WireName.Of(DmuRole.Technical)];

    public override async Task<NotificationOutcome> RunAsync(TaskActivityContext context, NotificationDraft input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var profile = await accounts.GetProfileAsync(input.AccountId, ct).ConfigureAwait(false);
        if (profile is null)
        {
            return new NotificationOutcome(FiredOutcomes.NoProfile);
        }

        var spec = NotificationCatalog.For(input.Kind);
        var fields = new Dictionary<string, TemplateValue>(input.Fields, StringComparer.Ordinal);
        IReadOnlyList<ContactProfile>? contacts = null;
        async Task<IReadOnlyList<ContactProfile>> ContactsAsync() =>
            contacts ??= [.. (await accounts.GetContactsAsync(input.AccountId, ct).ConfigureAwait(false)).Where(c => !c.Erased)];

        NotificationRecipient recipient;
        if (input.Audience == RecipientRole.ClientContact)
        {
            var contact = input.ContactId is { } cid
                ? (await ContactsAsync().ConfigureAwait(false)).FirstOrDefault(c => c.ContactId == cid && !string.IsNullOrWhiteSpace(c.Email))
                : BestClientContact(await ContactsAsync().ConfigureAwait(false));
            if (contact is null)
            {
                return new NotificationOutcome(FiredOutcomes.NoRecipient);
            }

            recipient = new NotificationRecipient(contact.Email!, contact.Name, ClientLocale(contact, profile), ClientTimeZone(contact, profile), RecipientRole.ClientContact, contact.ContactId);
        }
        else
        {
            var member = input.Audience == RecipientRole.Head ? profile.Head : profile.Kam;
            recipient = new NotificationRecipient(member.Email, member.Name, member.Locale, member.TimeZone, input.Audience);
        }

        void Fill(string key, Func<TemplateValue> value)
        {
            if (spec.RequiredFields.Contains(key) && !fields.ContainsKey(key))
            {
                fields[key] = value();
            }
        }

        Fill("account_name", () => TemplateValue.OfText(profile.Name));
        Fill("recipient_name", () => TemplateValue.OfText(recipient.Name ?? recipient.Email));
        Fill("kam_name", () => TemplateValue.OfText(profile.Kam.Name ?? profile.Kam.Email));
        Fill("kam_email", () => TemplateValue.OfText(profile.Kam.Email));
        Fill("kam_title", () => TemplateValue.OfText(profile.Kam.Title ?? string.Empty));
        if (spec.RequiredFields.Contains("dmu") || spec.RequiredFields.Contains("unaddressed_roles"))
        {
            var dmu = await ContactsAsync().ConfigureAwait(false);
            // Rows of codes, not English words: templates name roles and attitudes in the recipient's language.
            Fill("dmu", () => DmuRows(dmu));
            var addressed = new HashSet<string>(input.AddressedRoles ?? [], StringComparer.Ordinal);
            var roles = dmu.Count > 0 ? dmu.Select(c => c.Role).Distinct(StringComparer.Ordinal) : ProposalReaders;
            Fill("unaddressed_roles", () => TemplateValue.OfList(roles.Where(r => !addressed.Contains(r)).Order(StringComparer.Ordinal)));
        }

        await FillMeetingMaterialAsync(input, spec, fields, recipient, ContactsAsync).ConfigureAwait(false);
        var request = new NotificationRequest
        {
            NotificationId = input.NotificationId,
            Kind = input.Kind,
            Recipient = recipient,
            SendAt = input.SendAt,
            AccountId = input.AccountId,
            SourceKey = input.SourceKey,
            Fields = fields,
            Invite = input.Invite,
            Essential = spec.Essential,
        };
        var stored = await outbox.EnqueueAsync(NotificationCatalog.RequireComplete(request), ct).ConfigureAwait(false);
        return new NotificationOutcome(stored ? FiredOutcomes.Enqueued : FiredOutcomes.Duplicate, recipient.ContactId);
    }

    /// <summary>Rows of codes, not English words: templates name roles and attitudes in the recipient's language.</summary>
    private static TemplateValue DmuRows(IEnumerable<ContactProfile> contacts) =>
        TemplateValue.OfTable(contacts.Select(c => TemplateFields.Of(("name", TemplateValue.OfText(c.Name)), ("role", TemplateValue.OfText(c.Role)), ("attitude", TemplateValue.OfText(c.Attitude)))));

    /// <summary>
    /// What a meeting's preparation carries (seed 003): the attendees with their DMU roles and attitudes, the account's
    /// last meetings, its open complaints and open proposals, read from the account's current state right before sending.
    /// </summary>
    private async Task FillMeetingMaterialAsync(NotificationDraft input, NotificationSpec spec, Dictionary<string, TemplateValue> fields, NotificationRecipient recipient,
        Func<Task<IReadOnlyList<ContactProfile>>> contacts)
    {
        bool Needs(string key) => spec.RequiredFields.Contains(key) && !fields.ContainsKey(key);
        if (!Needs("attendees") && !Needs("open_complaints") && !Needs("open_proposals") && !Needs("recent_meetings"))
        {
            return; // Not a meeting's preparation.
        }

        var ct = CancellationToken.None;
        var zone = BusinessCalendar.ZoneFromId(recipient.TimeZone);
        DateOnly DateOf(DateTimeOffset time) => NodaTime.Instant.FromDateTimeOffset(time).InZone(zone).Date.ToDateOnly(); // The recipient's date.
        var today = DateOf(input.SendAt);
        if (Needs("attendees"))
        {
            var named = new HashSet<string>(input.Attendees ?? [], StringComparer.Ordinal);
            fields["attendees"] = DmuRows((await contacts().ConfigureAwait(false)).Where(c => named.Contains(c.ContactId)));
        }

        if (Needs("open_complaints"))
        {
            var complaints = await accounts.GetComplaintsAsync(input.AccountId, ct).ConfigureAwait(false);
            fields["open_complaints"] = TemplateValue.OfTable(complaints.Where(c => c.IsOpen).OrderBy(c => c.OpenedAt)
                .Select(c => TemplateFields.Of(("complaint_id", TemplateValue.OfText(c.ComplaintId)), ("opened_on", TemplateValue.OfDate(DateOf(c.OpenedAt))))));
        }

        if (Needs("open_proposals"))
        {
            var proposals = await accounts.GetProposalsAsync(input.AccountId, ct).ConfigureAwait(false);
            fields["open_proposals"] = TemplateValue.OfTable(proposals.Where(p => p.IsOpenOn(today)).OrderBy(p => p.ProposalId, StringComparer.Ordinal)
                .Select(p => TemplateFields.Of(("proposal_id", TemplateValue.OfText(p.ProposalId)), ("version", TemplateValue.OfNumber(p.Version)),
                    ("valid_until", p.ValidUntil is { } until ? TemplateValue.OfDate(until) : TemplateValue.OfUnknown(TemplateValueKind.Date)))));
        }

        if (Needs("recent_meetings"))
        {
            var held = await accounts.GetHeldMeetingsAsync(input.AccountId, ct).ConfigureAwait(false);
            fields["recent_meetings"] = TemplateValue.OfTable(held.Where(m => m.HeldAt <= input.SendAt).OrderByDescending(m => m.HeldAt).Take(RecentMeetings)
                .Select(m => TemplateFields.Of(("held_on", TemplateValue.OfDate(DateOf(m.HeldAt))),
                    ("summary", TemplateValue.OfText(m.Summary ?? string.Empty)), ("next_step", TemplateValue.OfText(m.NextStep ?? string.Empty)))));
        }
    }

    /// <summary>How many of the account's last meetings a preparation recalls.</summary>
    private const int RecentMeetings = 3;

    /// <summary>
    /// The language of mail to a client contact: their own; else the language of their (or the account's) country when
    /// templates exist in it, English for other known countries; the KAM's only when nothing about the client is known.
    /// </summary>
    internal static string ClientLocale(ContactProfile contact, AccountProfile profile)
    {
        if (contact.Locale is { Length: > 0 } own)
        {
            return own;
        }

        return (contact.Country ?? profile.Country)?.ToUpperInvariant() switch
        {
            null => profile.Kam.Locale,
            "RU" or "BY" or "KZ" or "KG" => "ru",
            "BG" => "bg",
            "FI" => "fi",
            _ => "en",
        };
    }

    /// <summary>The contact's zone; else their (or the account's) country's first tz database zone; else the KAM's.</summary>
    internal static string ClientTimeZone(ContactProfile contact, AccountProfile profile)
    {
        if (contact.TimeZone is { Length: > 0 } own)
        {
            return own;
        }

        var country = contact.Country ?? profile.Country;
        return country is null ? profile.Kam.TimeZone
            : RecipientCalendar.ClientZoneUnlessKams(country, BusinessCalendar.ZoneFromId(profile.Kam.TimeZone))?.Id ?? profile.Kam.TimeZone;
    }

    /// <summary>The client contact to write to: someone with an email, decision makers and our supporters first.</summary>
    internal static ContactProfile? BestClientContact(IEnumerable<ContactProfile> contacts) => contacts
        .Where(c => !c.Erased && !string.IsNullOrWhiteSpace(c.Email))
        .OrderBy(c => RolePriority(c.Role))
        .ThenBy(c => AttitudePriority(c.Attitude))
        .ThenBy(c => InfluencePriority(c.Influence))
        .ThenBy(c => c.ContactId, StringComparer.Ordinal)
        .FirstOrDefault();

    private static int RolePriority(string role) => role switch
    {
        "executive" => 0,
        "user" => 1,
        "people_oriented" => 2,
        "technical" => 3,
        "finance" => 4,
        _ => 5,
    };

    private static int AttitudePriority(string attitude) => attitude switch
    {
        "champion" => 0,
        "supporter" => 1,
        "neutral" => 2,
        "sceptic" => 3,
        _ => 4,
    };

    private static int InfluencePriority(string influence) => influence switch
    {
        "high" => 0,
        "medium" => 1,
        _ => 2,
    };
}
