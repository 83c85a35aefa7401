using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Events;

public sealed class BusinessKeyTests
{
    [Theory]
    [InlineData(CanonicalEventTypes.AccountUpserted, "account:ACME*")]
    [InlineData(CanonicalEventTypes.ContactUpserted, "account:ACME")]
    [InlineData(CanonicalEventTypes.ContactErased, "account:ACME")]
    [InlineData(CanonicalEventTypes.RevenueReported, "account:ACME")]
    [InlineData(CanonicalEventTypes.OpportunityUpserted, "opportunity:O-3* account:ACME")]
    [InlineData(CanonicalEventTypes.OpportunityStageChanged, "opportunity:O-3 account:ACME")]
    [InlineData(CanonicalEventTypes.MeetingLogged, "opportunity:O-3 proposal:P-7 tender:T-9 account:ACME meeting:M-11?")]
    [InlineData(CanonicalEventTypes.ProposalSent, "proposal:P-7* opportunity:O-3 tender:T-9 account:ACME")]
    [InlineData(CanonicalEventTypes.ProposalAcknowledged, "proposal:P-7 account:ACME")]
    [InlineData(CanonicalEventTypes.ProposalMeetingAgreed, "proposal:P-7 account:ACME")]
    [InlineData(CanonicalEventTypes.ProposalRevised, "proposal:P-7* account:ACME")]
    [InlineData(CanonicalEventTypes.ProposalAccepted, "proposal:P-7 account:ACME")]
    [InlineData(CanonicalEventTypes.ProposalRejected, "proposal:P-7 account:ACME")]
    [InlineData(CanonicalEventTypes.TenderAnnounced, "tender:T-9* opportunity:O-3 account:ACME")]
    [InlineData(CanonicalEventTypes.TenderDateChanged, "tender:T-9 account:ACME")]
    [InlineData(CanonicalEventTypes.TenderResult, "tender:T-9 account:ACME")]
    [InlineData(CanonicalEventTypes.ContractSigned, "account:ACME opportunity:O-3 proposal:P-7 tender:T-9")]
    [InlineData(CanonicalEventTypes.DeliveryCompleted, "delivery:D-5* account:ACME")]
    [InlineData(CanonicalEventTypes.ComplaintOpened, "complaint:CP-1* account:ACME delivery:D-5")]
    [InlineData(CanonicalEventTypes.ComplaintResolved, "complaint:CP-1 account:ACME delivery:D-5")]
    [InlineData(CanonicalEventTypes.ComplaintClosed, "complaint:CP-1 account:ACME delivery:D-5")]
    [InlineData(CanonicalEventTypes.DeliveryScheduled, "delivery:D-5 account:ACME")]
    [InlineData(CanonicalEventTypes.ProposalDrafted, "proposal:P-7* opportunity:O-3 account:ACME")]
    [InlineData(CanonicalEventTypes.ProposalPriceApproved, "proposal:P-7 account:ACME")]
    [InlineData(CanonicalEventTypes.ProposalPriceDeclined, "proposal:P-7 account:ACME")]
    [InlineData(CanonicalEventTypes.ReferenceReceived, "delivery:D-5 account:ACME")]
    [InlineData(CanonicalEventTypes.MeetingScheduled, "meeting:M-11* proposal:P-7 account:ACME")]
    [InlineData(CanonicalEventTypes.MeetingCancelled, "meeting:M-11? account:ACME")]
    public void RoutesFor_SampleOfEveryType_WorkflowsConcernedPrimaryFirst(string type, string expected)
    {
        var evt = CanonicalEventParser.ParseOrThrow(CanonicalEventSamples.ByType[type]);

        var routes = BusinessKey.RoutesFor(evt);

        // "*": starts the instance; "?": reaches only an instance that exists.
        Assert.Equal(expected, string.Join(" ", routes.Select(r => r.Key + (r.StartsIfAbsent ? "*" : string.Empty) + (r.OnlyIfExists ? "?" : string.Empty))));
        Assert.Equal(routes[0].Key, BusinessKey.For(evt));
    }

    [Fact]
    public void RoutesFor_ComplaintWithoutDelivery_ItsOwnWorkflowAndTheAccount()
    {
        var routes = BusinessKey.RoutesFor(new ComplaintOpened { ComplaintId = "CP-2", AccountId = "ACME" });
        Assert.Equal([new WorkflowRoute(BusinessKey.Complaint("CP-2"), true), new WorkflowRoute(BusinessKey.Account("ACME"), false)], routes);
        Assert.Equal("complaint:CP-2", BusinessKey.Parse("complaint:CP-2").ToString());
    }

    [Fact]
    public void RoutesFor_ProposalSentWithoutLinks_ProposalAndAccount() =>
        Assert.Equal(
            [new WorkflowRoute(BusinessKey.Proposal("P-1"), true), new WorkflowRoute(BusinessKey.Account("A"), false)],
            BusinessKey.RoutesFor(new ProposalSent { ProposalId = "P-1", AccountId = "A", Total = Eur(1m), ValidUntil = Date("2026-03-31") }));

    [Fact]
    public void RoutesFor_ReferenceWithoutDelivery_AccountIsPrimary() =>
        Assert.Equal(BusinessKey.Account("ACME"), BusinessKey.RoutesFor(new ReferenceReceived { AccountId = "ACME", Kind = KamFlows.Domain.Sales.ReferenceKind.Referral })[0].Key);

    [Theory]
    [InlineData("proposal:P-7", WorkflowKind.Proposal, "P-7")]
    [InlineData("tender:T-9", WorkflowKind.Tender, "T-9")]
    [InlineData("opportunity:O-3", WorkflowKind.Opportunity, "O-3")]
    [InlineData("delivery:D-5", WorkflowKind.Delivery, "D-5")]
    [InlineData("account:ACME", WorkflowKind.Account, "ACME")]
    [InlineData("proposal:ACME:2026:7", WorkflowKind.Proposal, "ACME:2026:7")]
    public void Parse_Key_KindAndIdAndRoundTrip(string text, WorkflowKind kind, string id)
    {
        var key = BusinessKey.Parse(text);
        Assert.Equal((kind, id), (key.Kind, key.Id));
        Assert.Equal(text, key.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("proposal")]
    [InlineData(":P-7")]
    [InlineData("proposal:")]
    [InlineData("invoice:1")]
    [InlineData("Proposal:P-7")]
    [InlineData("proposal:a/b")]
    [InlineData(null)]
    public void TryParse_NotAKey_False(string? text) => Assert.False(BusinessKey.TryParse(text, out _));

    [Fact]
    public void Parse_NotAKey_FormatException() => Assert.Throws<FormatException>(() => BusinessKey.Parse("invoice:1"));

    [Fact]
    public void Constructor_InvalidId_Throws() => Assert.Throws<ArgumentException>(() => BusinessKey.Tender("T#1"));

    [Fact]
    public void Factories_EachKind_PrefixedKeys() =>
        Assert.Equal(
            ["account:A", "opportunity:O", "proposal:P", "tender:T", "delivery:D"],
            new[] { BusinessKey.Account("A"), BusinessKey.Opportunity("O"), BusinessKey.Proposal("P"), BusinessKey.Tender("T"), BusinessKey.Delivery("D") }.Select(k => k.ToString()));
}
