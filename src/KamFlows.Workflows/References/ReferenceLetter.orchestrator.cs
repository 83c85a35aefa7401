// Reference letters (DOMAIN.md "After the contract", seed 001): a delivery done on time and meeting expectations,
// a settling period with no open complaint → the KAM is asked to request a letter (or the client contact gets the
// request when the account allows it), a follow-up while none arrives, the letter recorded, then a referral request.
using System.Globalization;
using KamFlows.Domain.Events.Data;
using KamFlows.Domain.Sales;
using KamFlows.Domain.Events;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using static KamFlows.Workflows.Common.TemplateFields;

namespace KamFlows.Workflows.References;

/// <summary>One instance per delivery (<c>delivery:{id}</c>).</summary>
public sealed class ReferenceLetter : KamWorkflow<ReferenceLetterState>
{
    internal const string Ask = "ask";
    internal const string Referral = "referral";

    protected override bool IsStarted(ReferenceLetterState state) => state.CompletedAt is not null;

    protected override EventDisposition Apply(ReferenceLetterState state, CanonicalEvent canonicalEvent, WorkflowRun run)
    {
        var at = canonicalEvent.Time.ToDateTimeOffset();
        switch (canonicalEvent.Data)
        {
            case DeliveryCompleted d when Matches(state, d.DeliveryId):
                if (IsStarted(state))
                {
                    return EventDisposition.Ignored;
                }

                state.CompletedAt = at;
                state.OnTime = d.OnTime;
                state.ExpectationsMet = d.ExpectationsMet;
                state.Description = d.Description;
                return EventDisposition.Applied;
            case ComplaintOpened d when d.DeliveryId is { } id && Matches(state, id):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                if (state.OpenComplaints.Contains(d.ComplaintId))
                {
                    return EventDisposition.Ignored;
                }

                state.OpenComplaints.Add(d.ComplaintId);
                return EventDisposition.Applied;
            case ComplaintResolved d when d.DeliveryId is { } id && Matches(state, id):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                if (!state.OpenComplaints.Remove(d.ComplaintId) && state.LastComplaintResolvedAt is not null)
                {
                    return EventDisposition.Ignored;
                }

                state.LastComplaintResolvedAt = state.LastComplaintResolvedAt is { } r && r > at ? r : at;
                return EventDisposition.Applied;
            case ReferenceReceived d when d.DeliveryId is { } id && Matches(state, id):
                if (!IsStarted(state))
                {
                    return EventDisposition.Held;
                }

                if (d.Kind == ReferenceKind.Letter && state.LetterReceivedAt is null)
                {
                    state.LetterReceivedAt = at;
                    state.LetterUrl = d.Url?.ToString();
                    return EventDisposition.Applied;
                }

                if (d.Kind == ReferenceKind.Referral && state.ReferralReceivedAt is null)
                {
                    state.ReferralReceivedAt = at;
                    return EventDisposition.Applied;
                }

                return EventDisposition.Ignored;
            default:
                return EventDisposition.Ignored;
        }
    }

    private static bool Matches(ReferenceLetterState state, string deliveryId) => state.Key.EndsWith(":" + deliveryId, StringComparison.Ordinal);

    private static bool Eligible(ReferenceLetterState state) => state.OnTime && state.ExpectationsMet;

    protected override IEnumerable<PlanItem> Plan(ReferenceLetterState state, WorkflowRun run)
    {
        if (!Eligible(state))
        {
            yield break;
        }

        var options = run.Options.ReferenceLetter;
        var kam = run.Kam;
        var profile = run.Profile!;
        var id = state.Key[(state.Key.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var description = state.Description ?? $"Delivery {id}";
        var fields = Of(("delivery_id", Text(id)), ("delivery_description", Text(description)));

        if (state.LetterReceivedAt is null && state.AskedAt is null && state.OpenComplaints.Count == 0)
        {
            var settledFrom = state.LastComplaintResolvedAt is { } resolved && resolved > state.CompletedAt!.Value ? resolved : state.CompletedAt!.Value;
            var due = kam.OnOrAfter(kam.DateOf(settledFrom).PlusDays(options.SettlingDays));
            if (profile.AllowsDirectReferenceRequests && !state.ClientRequestImpossible)
            {
                yield return new PlanItem
                {
                    Id = Id(state.Key, NotificationKind.ReferenceLetterRequestToClient, Ask),
                    Kind = NotificationKind.ReferenceLetterRequestToClient,
                    Audience = RecipientRole.ClientContact,
                    DueAt = due,
                    Title = $"Reference letter request to {profile.Name} for {description}",
                    Fields = fields,
                };
            }
            else
            {
                yield return new PlanItem
                {
                    Id = Id(state.Key, NotificationKind.ReferenceLetterAsk, Ask),
                    Kind = NotificationKind.ReferenceLetterAsk,
                    DueAt = due,
                    Title = $"Ask {profile.Name} for a reference letter for {description}",
                    IsTask = true,
                    Fields = fields.With(("completed_on", Date(kam.DateOf(state.CompletedAt!.Value)))),
                };
            }
        }

        if (state.AskedAt is { } asked && state.LetterReceivedAt is null)
        {
            for (var i = 1; i <= options.MaxFollowUps; i++)
            {
                yield return new PlanItem
                {
                    Id = Id(state.Key, NotificationKind.ReferenceLetterFollowUp, "follow-up-" + i.ToString(CultureInfo.InvariantCulture)),
                    Kind = NotificationKind.ReferenceLetterFollowUp,
                    DueAt = kam.BusinessDaysAfter(asked, options.FollowUpBusinessDays * i),
                    Title = $"No reference letter yet from {profile.Name} for {description}: follow up",
                    SkipWhenLateAfter = run.ReminderGrace,
                    Fields = fields.With(("asked_on", Date(kam.DateOf(asked)))),
                };
            }
        }

        if (state.LetterReceivedAt is { } letter && state.ReferralReceivedAt is null)
        {
            yield return new PlanItem
            {
                Id = Id(state.Key, NotificationKind.ReferralRequest, Referral),
                Kind = NotificationKind.ReferralRequest,
                DueAt = options.ReferralAfterBusinessDays == 0 ? kam.NextBusinessMoment(letter) : kam.BusinessDaysAfter(letter, options.ReferralAfterBusinessDays),
                Title = $"Ask {profile.Name} to recommend colleagues and partners",
                Fields = fields,
            };
        }
    }

    protected override void OnFired(ReferenceLetterState state, PlanItem item, FiredAction fired, WorkflowRun run)
    {
        if (item.Kind == NotificationKind.ReferenceLetterRequestToClient && fired.Outcome == FiredOutcomes.NoRecipient)
        {
            state.ClientRequestImpossible = true; // The KAM's task follows at once in the same step.
            return;
        }

        if (item.Kind is NotificationKind.ReferenceLetterAsk or NotificationKind.ReferenceLetterRequestToClient && FiredOutcomes.Delivered(fired.Outcome))
        {
            state.AskedAt = fired.At;
        }
    }

    protected override bool IsTaskOpen(ReferenceLetterState state, string id, FiredAction task) => state.LetterReceivedAt is null;

    protected override string? Finished(ReferenceLetterState state, WorkflowRun run)
    {
        if (!Eligible(state))
        {
            return state.OnTime ? "expectations-not-met" : "not-on-time";
        }

        if (state.LetterReceivedAt is not null)
        {
            return state.ReferralReceivedAt is not null || state.WasFired(Id(state.Key, NotificationKind.ReferralRequest, Referral)) ? "letter-received" : null;
        }

        return state.AskedAt is { } asked && run.Now >= asked.AddDays(run.Options.ReferenceLetter.GiveUpDays) ? "no-letter" : null;
    }

    protected override DateTimeOffset? NextDeadline(ReferenceLetterState state, WorkflowRun run) =>
        state.AskedAt is { } asked && state.LetterReceivedAt is null ? asked.AddDays(run.Options.ReferenceLetter.GiveUpDays) : null;
}
