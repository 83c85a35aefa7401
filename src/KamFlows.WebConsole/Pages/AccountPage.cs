using KamFlows.WebConsole.Auth;
using KamFlows.WebConsole.Data;
using KamFlows.WebConsole.Web;
using KamFlows.Domain.Accounts;
using KamFlows.Domain.Common;
using KamFlows.Domain.Contacts;
using KamFlows.Domain.Events;
using KamFlows.Infrastructure.Accounts;
using KamFlows.Infrastructure.Timeline;
using KamFlows.Workflows.Common;
using KamFlows.Workflows.Notifications;
using KamFlows.Workflows.Ports;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using NodaTime;

namespace KamFlows.WebConsole.Pages;

/// <summary>
/// One account: profile, groups and bonds, the DMU map (personal data only to the account's team and heads, never after
/// erasure), open proposals, tender milestones, opportunities, deliveries and references, what fires next, the timeline.
/// </summary>
public static class AccountPage
{
    private static readonly HashSet<string> OpenProposal = new(["sent", "acknowledged", "meeting_agreed"], StringComparer.Ordinal);

    public static async Task<IResult> RenderAsync(ConsoleRequest request, string accountId)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (v, user, ct) = (request.Viewer, request.User, request.Aborted);
        if (!EntityIdLike(accountId))
        {
            return Layout.NotFound(request, accountId);
        }

        var reader = request.Service<AccountReader>();
        var account = await reader.GetAccountAsync(accountId, ct);
        if (account is null)
        {
            return Layout.NotFound(request, accountId);
        }

        if (!Access.CanSeeAccount(user, account))
        {
            return Layout.Forbidden(request);
        }

        var objectsTask = request.Service<AccountObjects>().OfAccountAsync(accountId, ct);
        var dmuTask = reader.GetDecisionMakingUnitAsync(accountId, ct);
        var timelineTask = request.Service<TimelineStore>().ReadAsync(accountId, null, 5_000, ct);
        var plannedTask = request.OptionalService<IUpcomingActions>() is { } upcoming
            ? upcoming.ForAccountAsync(accountId, v.Now.AddDays(-30), v.Now.AddDays(120), ct)
            : Task.FromResult<IReadOnlyList<(string SourceKey, PlannedAction Action)>>([]);
        var share = (await request.Service<PortfolioSnapshots>().GetAsync(ct)).Classification.Analysis.Report?.Find(accountId);
        var objects = await objectsTask;
        var dmu = await dmuTask;
        var timeline = await timelineTask;
        var planned = await plannedTask;
        List<AccountObject> Of(string kind) => objects.TryGetValue(kind, out var list) ? list : [];

        var html = new Html();
        Profile(html, v, account, share);
        await DmuAsync(html, request, account, dmu, Access.CanSeePersonalData(user, account));
        Proposals(html, v, Of(AccountRows.Proposal));
        Tenders(html, request, Of(AccountRows.Tender), timeline);
        Opportunities(html, v, Of(AccountRows.Opportunity));
        AfterContract(html, v, Of(AccountRows.Delivery), Of(AccountRows.Reference), Of(AccountRows.Complaint));
        await NextAsync(html, request, account, objects, planned);
        Timeline(html, v, timeline);
        return Layout.Page(request, account.Name, html.ToHtmlString());
    }

    private static bool EntityIdLike(string id) => id.Length is > 0 and <= 200 && !id.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));

    private static void Profile(Html html, Viewer v, Account a, Domain.Portfolio.AccountRevenueShare? share)
    {
        html.Add($"<section class=\"profile\"><h2>{v.T("profile")}</h2><table><tbody>");
        html.Add($"<tr><th>{v.T("kam")}</th><td>{a.Kam.Name ?? a.Kam.Email.Value} <span class=\"muted\">{a.Kam.Email.Value} · {a.Kam.TimeZone.Id}</span></td></tr>");
        html.Add($"<tr><th>{v.T("head")}</th><td>{a.Head.Name ?? a.Head.Email.Value} <span class=\"muted\">{a.Head.Email.Value}</span></td></tr>");
        html.Add($"<tr><th>{v.T("currency")}</th><td>{a.Currency.Code}{(a.PriceFloor is { } floor ? Html.Of($" · {v.T("price_floor")} {v.Money(floor.Amount, floor.Currency.Code)}") : HtmlString.Empty)}</td></tr>");
        html.Add($"<tr><th>{v.T("share")}</th><td>{(share is null ? Html.Of($"<span class=\"muted\">{v.T("no_revenue")}</span>") : Html.Of($"#{share.Rank} · {v.Money(share.Revenue.Amount, share.Revenue.Currency.Code)} · {v.Percent(share.Share)} · {v.T("class")} {share.Class}"))}</td></tr>");
        html.Add($"<tr><th>{v.T("groups")}</th><td>");
        foreach (var g in a.GroupsWith(share?.IsBreadwinner == true))
        {
            html.Add($"<span class=\"tag on\">{v.Term("group_", WireName.Of(g))}</span>");
        }

        html.Add($"{(a.IsKeyAccount ? HtmlString.Empty : Html.Of($"<span class=\"tag\">{v.T("ordinary_client")}</span>"))}</td></tr><tr><th>{v.T("bonds")}</th><td>");
        foreach (var b in Enum.GetValues<BondKind>())
        {
            var has = a.Bonds.Contains(b);
            html.Add($"<span class=\"tag {(has ? "on" : "off")}\" title=\"{v.T(has ? "bond_present" : "bond_absent")}\">{v.Term("bond_", WireName.Of(b))}</span>");
        }

        html.Add($"</td></tr></tbody></table></section>");
    }

    private static async Task DmuAsync(Html html, ConsoleRequest request, Account account, DecisionMakingUnit dmu, bool personal)
    {
        var v = request.Viewer;
        var reader = request.Service<AccountReader>();
        html.Add($"<section class=\"dmu-map\"><h2>{v.T("dmu")}</h2>");
        if (!personal)
        {
            html.Add($"<p class=\"muted\">{v.T("personal_hidden")}</p>");
        }

        var missing = Enum.GetValues<DmuRole>().Where(r => !dmu.Members.Any(m => m.Role == r && !m.IsErased)).ToList();
        if (missing.Count > 0)
        {
            html.Add($"<p>{v.T("roles_missing")} {string.Join(", ", missing.Select(r => v.Term("dmu_", WireName.Of(r))))}</p>");
        }

        html.Add($"<div class=\"dmu\">");
        foreach (var m in dmu.Members.OrderBy(m => m.Role).ThenByDescending(m => m.Influence))
        {
            var attitude = WireName.Of(m.Attitude);
            html.Add($"<div class=\"person {attitude}\" data-contact=\"{m.Id}\"><div class=\"name\">{(m.IsErased ? v.T("erased") : m.Name)}</div>");
            if (!m.IsErased && m.JobTitle is { } title)
            {
                html.Add($"<div class=\"muted\">{title}</div>");
            }

            html.Add($"<div>{v.Term("dmu_", WireName.Of(m.Role))} · {v.T("influence")}: {v.Term("influence_", WireName.Of(m.Influence))} · {v.T("attitude")}: {v.Term("attitude_", attitude)}</div>");
            if (personal && !m.IsErased)
            {
                if (m.Email is { } email)
                {
                    html.Add($"<div class=\"muted\">{email.Value}{(m.Phone is { } phone ? " · " + phone : string.Empty)}</div>");
                }

                if (m.PersonalDataId is not null && await reader.GetPersonalFactsAsync(account.Id, m.Id, request.Aborted) is { } facts)
                {
                    var birthday = facts.Birthday is { } b ? (facts.BirthdayHasYear ? v.Date(LocalDate.FromDateOnly(b)) : b.ToString("d MMMM", v.Culture)) : null;
                    html.Add($"<div class=\"personal\">{(birthday is null ? HtmlString.Empty : Html.Of($"{v.T("birthday")}: {birthday}. "))}{(facts.Hobbies.Count > 0 ? v.T("hobbies") + ": " + string.Join(", ", facts.Hobbies) : string.Empty)}</div>");
                }
            }
            else if (m.IsErased)
            {
                html.Add($"<div class=\"muted\">{v.T("erased_note")}</div>");
            }

            html.Add($"</div>");
        }

        html.Add($"</div>{(dmu.Members.Count == 0 ? Html.Of($"<p class=\"muted\">{v.T("dmu_empty")}</p>") : HtmlString.Empty)}</section>");
    }

    private static void Proposals(Html html, Viewer v, List<AccountObject> proposals)
    {
        var open = proposals.Where(p => OpenProposal.Contains(p.Text("Status") ?? string.Empty)).OrderBy(p => p.Text("ValidUntil"), StringComparer.Ordinal).ToList();
        html.Add($"<section><h2>{v.T("open_proposals")}</h2>");
        if (open.Count == 0)
        {
            html.Add($"<p class=\"muted\">{v.T("none")}</p></section>");
            return;
        }

        html.Add($"<table><thead><tr><th>{v.T("proposal")}</th><th class=\"num\">{v.T("amount")}</th><th>{v.T("valid_until")}</th><th>{v.T("follow_up")}</th><th>{v.T("roles_addressed")}</th></tr></thead><tbody>");
        foreach (var p in open)
        {
            var until = LocalDatePatternParse(p.Text("ValidUntil"));
            var days = until is { } u ? Period.Between(v.Today, u, PeriodUnits.Days).Days : (int?)null;
            var countdown = days switch { null => string.Empty, < 0 => v.T("expired_days_ago", -days), 0 => v.T("expires_today"), _ => v.T("days_left", days) };
            var roles = (p.Text("AddressedRoles") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => v.Term("dmu_", r));
            html.Add($"<tr><td>{p.Id} v{p.Text("Version")}</td><td class=\"num\">{(p.Amount("Amount") is { } amt ? v.Money(amt, p.Text("Currency") ?? string.Empty) : "—")}</td>");
            html.Add($"<td>{v.Date(p.Text("ValidUntil"))} <span class=\"{(days is < 8 ? "warning" : "muted")}\" data-countdown=\"{days}\">{countdown}</span></td><td>{v.Term("proposal_", p.Text("Status"))}</td><td>{string.Join(", ", roles)}</td></tr>");
        }

        html.Add($"</tbody></table></section>");
    }

    private static void Tenders(Html html, ConsoleRequest request, List<AccountObject> tenders, IReadOnlyList<TimelineEntry> timeline)
    {
        var v = request.Viewer;
        html.Add($"<section><h2>{v.T("tenders")}</h2>");
        if (tenders.Count == 0)
        {
            html.Add($"<p class=\"muted\">{v.T("none")}</p></section>");
            return;
        }

        var milestones = request.OptionalService<IOptions<WorkflowsOptions>>()?.Value.TenderPreparation.MilestonesOrDefault ?? Workflows.Tenders.TenderPreparationOptions.DefaultMilestones;
        foreach (var t in tenders)
        {
            var key = BusinessKey.Tender(t.Id).ToString();
            if (LocalDatePatternParse(t.Text("TenderDate")) is not { } tDate)
            {
                continue;
            }

            var moved = timeline.Any(e => e.SourceKey == key && e.Kind == CanonicalEventTypes.TenderDateChanged);
            var states = milestones.OrderByDescending(m => m.DaysBeforeTender).Select(m =>
            {
                var date = tDate.PlusDays(-m.DaysBeforeTender);
                var done = timeline.Any(e => e.Origin == TimelineOrigin.Caused && e.ReferenceId.StartsWith(key + "|" + nameof(NotificationKind.TenderMilestoneDue) + "|" + m.Code, StringComparison.Ordinal));
                var state = done ? "done" : date < v.Today ? "overdue" : moved ? "moved" : "due";
                return (m.Title, m.DaysBeforeTender, date, state);
            }).ToList();
            html.Add($"<h3>{t.Text("Title") ?? t.Id} · T = {v.Date(tDate)}{(t.Text("Outcome") is { } outcome ? " · " + v.Term("tender_", outcome) : string.Empty)}</h3>");
            html.Add($"{Charts.Milestones(v, states, tDate)}<table><tbody>");
            foreach (var (title, days, date, state) in states)
            {
                html.Add($"<tr><td>T−{days}</td><td>{title}</td><td>{v.Date(date)}</td><td class=\"{(state == "overdue" ? "warning" : state == "done" ? "ok" : "muted")}\">{v.T("ms_" + state)}</td></tr>");
            }

            html.Add($"</tbody></table>");
        }

        html.Add($"</section>");
    }

    private static void Opportunities(Html html, Viewer v, List<AccountObject> opportunities)
    {
        html.Add($"<section><h2>{v.T("opportunities")}</h2>");
        if (opportunities.Count == 0)
        {
            html.Add($"<p class=\"muted\">{v.T("none")}</p></section>");
            return;
        }

        html.Add($"<table><thead><tr><th>{v.T("opportunity")}</th><th>{v.T("stage")}</th><th class=\"num\">{v.T("stage_age")}</th><th class=\"num\">{v.T("amount")}</th><th>{v.T("expected_close")}</th><th>{v.T("last_meeting")}</th></tr></thead><tbody>");
        foreach (var o in opportunities.OrderBy(o => o.Text("Name"), StringComparer.CurrentCulture))
        {
            var entered = o.Time("StageEnteredAt");
            var age = entered is { } e ? (int)(v.Now - e).TotalDays : (int?)null;
            html.Add($"<tr><td>{o.Text("Name") ?? o.Id}</td><td>{v.Term("stage_", o.Text("Stage"))}</td><td class=\"num{(age > 45 ? " warning" : string.Empty)}\">{(age is { } d ? v.T("days", d) : "—")}</td>");
            html.Add($"<td class=\"num\">{(o.Amount("Amount") is { } amt ? v.Money(amt, o.Text("Currency") ?? string.Empty) : "—")}</td><td>{v.Date(o.Text("ExpectedCloseDate"))}</td><td>{v.Time(o.Time("LastMeetingAt"))}</td></tr>");
        }

        html.Add($"</tbody></table></section>");
    }

    private static void AfterContract(Html html, Viewer v, List<AccountObject> deliveries, List<AccountObject> references, List<AccountObject> complaints)
    {
        html.Add($"<section><h2>{v.T("deliveries_references")}</h2>");
        if (deliveries.Count + references.Count + complaints.Count == 0)
        {
            html.Add($"<p class=\"muted\">{v.T("none")}</p></section>");
            return;
        }

        html.Add($"<table><tbody>");
        foreach (var d in deliveries)
        {
            if (d.Time("CompletedAt") is null && d.Text("DueOn") is { } dueOn)
            {
                // Scheduled, not completed yet: its deadline, flagged once it has passed.
                var overdue = LocalDatePatternParse(dueOn) is { } due && due < v.Today;
                html.Add($"<tr><td>{v.T("delivery")} {d.Id}</td><td>{v.T("delivery_due_on", v.Date(dueOn))}</td><td class=\"{(overdue ? "warning" : "ok")}\">{(overdue ? v.T("late") : v.T("open"))}</td></tr>");
                continue;
            }

            html.Add($"<tr><td>{v.T("delivery")} {d.Id}</td><td>{v.Time(d.Time("CompletedAt"))}</td><td>{v.T(d.Flag("OnTime") == true ? "on_time" : "late")}, {v.T(d.Flag("ExpectationsMet") == true ? "expectations_met" : "expectations_not_met")}</td></tr>");
        }

        foreach (var c in complaints)
        {
            var resolved = c.Time("ResolvedAt");
            html.Add($"<tr><td>{v.T("complaint")} {c.Id}</td><td>{v.Time(c.Time("OpenedAt"))}</td><td class=\"{(resolved is null ? "warning" : "ok")}\">{(resolved is null ? v.T("open") : v.T("resolved_at", v.Time(resolved)))}</td></tr>");
        }

        foreach (var r in references)
        {
            html.Add($"<tr><td>{v.T("reference")} ({v.Term("reference_", r.Text("Kind"))})</td><td>{v.Time(r.Time("ReceivedAt"))}</td><td>{r.Text("ReferredCompany")}</td></tr>");
        }

        html.Add($"</tbody></table></section>");
    }

    private static async Task NextAsync(Html html, ConsoleRequest request, Account account, IReadOnlyDictionary<string, List<AccountObject>> objects, IReadOnlyList<(string SourceKey, PlannedAction Action)> planned)
    {
        var v = request.Viewer;
        html.Add($"<section><h2>{v.T("fires_next")}</h2>");
        var next = planned.Where(p => p.Action.DueAt >= v.Now).OrderBy(p => p.Action.DueAt).Take(20).ToList();
        if (next.Count == 0)
        {
            html.Add($"<p class=\"muted\">{v.T("nothing_planned")}</p>");
        }
        else
        {
            html.Add($"<table class=\"planned\"><thead><tr><th>{v.T("when")}</th><th>{v.T("rule")}</th><th>{v.T("what")}</th><th>{v.T("for_whom")}</th></tr></thead><tbody>");
            foreach (var (source, a) in next)
            {
                html.Add($"<tr><td>{v.Time(a.DueAt)}</td><td>{v.Term("kind_", a.Kind)} <span class=\"muted\">{source}</span></td><td>{a.Title}</td><td>{a.RecipientEmail}</td></tr>");
            }

            html.Add($"</tbody></table>");
        }

        var keys = new List<string> { BusinessKey.Account(account.Id).ToString() };
        foreach (var (kind, make) in new (string, Func<string, BusinessKey>)[] { (AccountRows.Proposal, BusinessKey.Proposal), (AccountRows.Tender, BusinessKey.Tender), (AccountRows.Opportunity, BusinessKey.Opportunity), (AccountRows.Delivery, BusinessKey.Delivery) })
        {
            keys.AddRange((objects.TryGetValue(kind, out var list) ? list : []).Where(o => EntityId.IsValid(o.Id)).Select(o => make(o.Id).ToString()));
        }

        var instances = (await Task.WhenAll(keys.Take(40).Select(k => request.Client.GetInstanceAsync(k, request.Aborted)))).Where(m => m is not null).ToList();
        html.Add($"<h3>{v.T("workflows")}</h3><table class=\"instances\"><tbody>");
        foreach (var m in instances)
        {
            var id = Access.CanOperateWorkflows(request.User) ? Html.Of($"<a href=\"{v.Link("workflows/" + Uri.EscapeDataString(m!.InstanceId))}\">{m.InstanceId}</a>") : Html.Of($"{m!.InstanceId}");
            html.Add($"<tr><td>{id}</td><td>{m.Name}</td><td>{v.Term("status_", m.RuntimeStatus)}</td><td>{v.Time(m.LastUpdatedAt)}</td></tr>");
        }

        html.Add($"</tbody></table>{(instances.Count == 0 ? Html.Of($"<p class=\"muted\">{v.T("none")}</p>") : HtmlString.Empty)}</section>");
    }

    private static void Timeline(Html html, Viewer v, IReadOnlyList<TimelineEntry> timeline)
    {
        html.Add($"<section><h2>{v.T("timeline")}</h2><table class=\"timeline\"><tbody>");
        foreach (var e in timeline.Reverse().Take(40))
        {
            html.Add($"<tr><td>{v.Time(e.Time)}</td><td>{v.T(e.Origin == TimelineOrigin.Received ? "received" : "caused")}</td><td class=\"muted\">{e.Kind}</td><td>{e.Summary}</td></tr>");
        }

        html.Add($"</tbody></table>{(timeline.Count == 0 ? Html.Of($"<p class=\"muted\">{v.T("none")}</p>") : HtmlString.Empty)}</section>");
    }

    private static LocalDate? LocalDatePatternParse(string? text) =>
        NodaTime.Text.LocalDatePattern.Iso.Parse(text ?? string.Empty) is { Success: true } r ? r.Value : null;
}
