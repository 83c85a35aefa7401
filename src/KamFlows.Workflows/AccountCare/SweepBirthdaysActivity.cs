using KamFlows.Domain.Contacts;
using Microsoft.DurableTask;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;
using NodaTime;

namespace KamFlows.Workflows.AccountCare;

/// <summary>
/// Reads the DMU's birthdays (personal data, erasable) and enqueues a reminder to the KAM for each birthday in the
/// look-ahead window, one per contact and year; withdraws reminders of erased contacts; writes the birthdays to
/// upcoming actions under <c>{key}|birthdays</c>. Returns counts only, so no birthday enters workflow history.
/// </summary>
public sealed class SweepBirthdaysActivity(IAccountReader accounts, INotificationOutbox outbox, IUpcomingActions upcoming)
    : TaskActivity<BirthdaySweepRequest, BirthdaySweepOutcome>
{
    public override async Task<BirthdaySweepOutcome> RunAsync(TaskActivityContext context, BirthdaySweepRequest input)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(input);
        var ct = CancellationToken.None;
        var profile = await accounts.GetProfileAsync(input.AccountId, ct).ConfigureAwait(false);
        if (profile is null)
        {
            return new BirthdaySweepOutcome(0, 0, 0);
        }

        var kam = RecipientCalendar.For(profile.Kam, TimingOptions.TryParseTime(input.ReminderTime, out var t) ? t : new TimeOnly(9, 0));
        var today = kam.DateOf(input.Now);
        var contacts = await accounts.GetContactsAsync(input.AccountId, ct).ConfigureAwait(false);
        var withdrawn = 0;
        foreach (var contactId in input.ErasedContactIds.Concat(contacts.Where(c => c.Erased).Select(c => c.ContactId)).Distinct(StringComparer.Ordinal))
        {
            foreach (var year in new[] { today.Year, today.Year + 1 })
            {
                withdrawn += await outbox.CancelAsync(IdFor(input.SourceKey, contactId, year), ct).ConfigureAwait(false) ? 1 : 0;
            }
        }

        var planned = new List<PlannedAction>();
        var enqueued = 0;
        foreach (var contact in contacts.Where(c => !c.Erased).OrderBy(c => c.ContactId, StringComparer.Ordinal))
        {
            var facts = await accounts.GetPersonalFactsAsync(input.AccountId, contact.ContactId, ct).ConfigureAwait(false);
            if (facts?.Birthday is not { } birthday)
            {
                continue;
            }

            var next = NextOccurrence(birthday, today);
            if (Period.DaysBetween(today, next) > input.LookaheadDays)
            {
                continue;
            }

            var sendAt = input.ReminderBusinessDaysBefore == 0 ? kam.OnOrBefore(next) : kam.BusinessDaysBefore(next, input.ReminderBusinessDaysBefore);
            if (sendAt < input.Now)
            {
                // Learnt late (a new contact, a birthday close by): still before the day is over, at the next business moment.
                sendAt = kam.NextBusinessMoment(input.Now);
                if (kam.DateOf(sendAt) > next)
                {
                    continue;
                }
            }

            var request = new NotificationRequest
            {
                NotificationId = IdFor(input.SourceKey, contact.ContactId, next.Year),
                Kind = NotificationKind.ContactBirthday,
                Recipient = new NotificationRecipient(profile.Kam.Email, profile.Kam.Name, profile.Kam.Locale, profile.Kam.TimeZone, RecipientRole.Kam),
                SendAt = kam.ToLocal(sendAt),
                AccountId = input.AccountId,
                SourceKey = input.SourceKey,
                Essential = NotificationCatalog.For(NotificationKind.ContactBirthday).Essential,
                Fields = new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
                {
                    ["account_name"] = TemplateValue.OfText(profile.Name),
                    ["recipient_name"] = TemplateValue.OfText(profile.Kam.Name ?? profile.Kam.Email),
                    ["contact_name"] = TemplateValue.OfText(contact.Name),
                    ["contact_role"] = TemplateValue.OfText(contact.Role),
                    ["birthday_on"] = TemplateValue.OfDate(new DateOnly(next.Year, next.Month, next.Day)),
                },
            };
            enqueued += await outbox.EnqueueAsync(request, ct).ConfigureAwait(false) ? 1 : 0;
            planned.Add(new PlannedAction(nameof(NotificationKind.ContactBirthday), request.SendAt, profile.Kam.Email,
                $"Birthday of {contact.Name} ({TemplateFields.Iso(next)})"));
        }

        await upcoming.ReplacePlanAsync(input.SourceKey + "|birthdays", input.AccountId, profile.Kam.Email, planned, ct).ConfigureAwait(false);
        return new BirthdaySweepOutcome(planned.Count, enqueued, withdrawn);
    }

    /// <summary>One reminder per contact and birthday year.</summary>
    public static string IdFor(string sourceKey, string contactId, int year) =>
        TemplateFields.Id(sourceKey, NotificationKind.ContactBirthday, contactId, year.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The next birthday on or after <paramref name="today"/>; 29 February falls on 28 February in common years.</summary>
    internal static LocalDate NextOccurrence(DateOnly birthday, LocalDate today) =>
        new Birthday(new AnnualDate(birthday.Month, birthday.Day)).NextOccurrence(today);
}
