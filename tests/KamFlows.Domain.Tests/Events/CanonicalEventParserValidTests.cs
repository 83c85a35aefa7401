using System.Text;
using KamFlows.Domain.Accounts;
using KamFlows.Domain.Contacts;
using KamFlows.Domain.Events;
using KamFlows.Domain.Events.Data;
using KamFlows.Domain.Sales;
using static KamFlows.Domain.Tests.TestData;

namespace KamFlows.Domain.Tests.Events;

public sealed class CanonicalEventParserValidTests
{
    public static TheoryData<string> AllTypes() => new(CanonicalEventTypes.All);

    private static CanonicalEvent Parse(string json)
    {
        var result = CanonicalEventParser.Parse(json);
        Assert.True(result.IsValid, result.ToString());
        Assert.Empty(result.Errors);
        return result.Event;
    }

    private static T Data<T>(string type) => Assert.IsType<T>(Parse(CanonicalEventSamples.ByType[type]).Data);

    [Fact]
    public void CanonicalEventTypes_All_TheTwentyOneDesignedTypesAndTheSixOfIssue14()
    {
        Assert.Equal(28, CanonicalEventTypes.All.Count);
        Assert.Equal(28, CanonicalEventTypes.All.Distinct().Count());
        Assert.Equal(
            [CanonicalEventTypes.ProposalDrafted, CanonicalEventTypes.ProposalPriceApproved, CanonicalEventTypes.ProposalPriceDeclined, CanonicalEventTypes.ComplaintClosed],
            CanonicalEventTypes.All.Skip(21).Take(4));
        Assert.Equal([CanonicalEventTypes.DeliveryScheduled, CanonicalEventTypes.MeetingScheduled, CanonicalEventTypes.MeetingCancelled], CanonicalEventTypes.All.Skip(25)); // Issue 14 item 7.
        Assert.Equal(CanonicalEventTypes.All.Order(), CanonicalEventSamples.ByType.Keys.Order());
        Assert.True(CanonicalEventTypes.IsKnown("kam.proposal.meeting_agreed"));
        Assert.False(CanonicalEventTypes.IsKnown("kam.proposal.Sent"));
    }

    [Fact]
    public void Parse_ProposalDrafted_PriceVersionAndDeal()
    {
        var d = Data<KamFlows.Domain.Events.Data.ProposalDrafted>(CanonicalEventTypes.ProposalDrafted);
        Assert.Equal(("P-7", 2, 118_000m, "EUR", 12.5m, "O-3"), (d.ProposalId, d.Version, d.Total.Amount, d.Total.Currency.Code, d.DiscountPercent, d.OpportunityId));
        Assert.Equal(new NodaTime.LocalDate(2027, 4, 30), d.ValidUntil);
        Assert.Equal(2, Data<KamFlows.Domain.Events.Data.ProposalPriceDeclined>(CanonicalEventTypes.ProposalPriceDeclined).Version);
        Assert.Equal("CP-1", Data<KamFlows.Domain.Events.Data.ComplaintClosed>(CanonicalEventTypes.ComplaintClosed).ComplaintId);
    }

    [Fact]
    public void Parse_DeliveryScheduled_DeadlineAndTeamLead()
    {
        var d = Data<KamFlows.Domain.Events.Data.DeliveryScheduled>(CanonicalEventTypes.DeliveryScheduled);
        Assert.Equal(("D-5", "ACME", new NodaTime.LocalDate(2027, 5, 4)), (d.DeliveryId, d.AccountId, d.DueOn));
        Assert.Equal(("Phase 1 roll-out, 40 vehicles", "K-1", "Jukka Mäkinen", "jukka.makinen@supplier.example"), (d.Description, d.ContractId, d.TeamLeadName, d.TeamLeadEmail?.Value));

        var bare = CanonicalEventSamples.ByType[CanonicalEventTypes.DeliveryScheduled];
        foreach (var optional in new[] { "data.description", "data.contract_id", "data.team_lead_name", "data.team_lead_email" })
        {
            bare = CanonicalEventSamples.Change(bare, optional, CanonicalEventSamples.Remove);
        }

        var minimal = Assert.IsType<KamFlows.Domain.Events.Data.DeliveryScheduled>(Parse(bare).Data);
        Assert.Equal((null, null, null, (string?)null), (minimal.Description, minimal.ContractId, minimal.TeamLeadName, minimal.TeamLeadEmail?.Value));
    }

    [Fact]
    public void Parse_MeetingScheduled_TimesAttendeesAndLinks_EndDefaultsToAnHour()
    {
        var d = Data<KamFlows.Domain.Events.Data.MeetingScheduled>(CanonicalEventTypes.MeetingScheduled);
        Assert.Equal(("M-11", "Business case with the CFO", "Acme HQ, Espoo", "O-3", "P-7", "T-9"), (d.MeetingId, d.Subject, d.Location, d.OpportunityId, d.ProposalId, d.TenderId));
        Assert.Equal((Stamp("2026-03-04T10:00:00+02:00"), Stamp("2026-03-04T11:30:00+02:00")), (d.StartsAt, d.End));
        Assert.Equal(["C-1", "C-2"], d.ContactIds);
        var noEnd = Assert.IsType<KamFlows.Domain.Events.Data.MeetingScheduled>(
            Parse(CanonicalEventSamples.With(CanonicalEventTypes.MeetingScheduled, "data.ends_at", CanonicalEventSamples.Remove)).Data);
        Assert.Equal((null, Stamp("2026-03-04T11:00:00+02:00")), (noEnd.EndsAt, noEnd.End));
        Assert.Equal("The CFO is travelling", Data<KamFlows.Domain.Events.Data.MeetingCancelled>(CanonicalEventTypes.MeetingCancelled).Reason);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Parse_ValidSampleOfEveryType_TypedEventWithEnvelope(string type)
    {
        var parsed = Parse(CanonicalEventSamples.ByType[type]);

        Assert.Equal(type, parsed.Type);
        Assert.Equal(type, parsed.Data.EventType);
        Assert.Equal("evt-" + type, parsed.Id);
        Assert.Equal("/crm/hubspot", parsed.Source);
        Assert.Equal("ACME", parsed.AccountId);
        Assert.Null(parsed.Subject);
        Assert.Empty(parsed.Extensions);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Serialize_ParsedSampleOfEveryType_ParsesBackEqual(string type)
    {
        var parsed = Parse(CanonicalEventSamples.ByType[type]);

        var written = CanonicalEventJson.Serialize(parsed);

        Assert.Equal(parsed, Parse(written));
        Assert.Equal(written, CanonicalEventJson.Serialize(Parse(written)));
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Serialize_EnvelopeOfEveryType_ParsesBackEqual(string type)
    {
        var parsed = Parse(CanonicalEventSamples.ByType[type]);

        var envelope = parsed.ToEnvelope();

        Assert.Equal((parsed.Id, parsed.Source, parsed.Type, parsed.Time), (envelope.Id, envelope.Source, envelope.Type, envelope.Time));
        Assert.Equal(System.Text.Json.JsonValueKind.Object, envelope.Data.ValueKind);
        Assert.Equal(parsed, Parse(CanonicalEventJson.Serialize(envelope)));
    }

    [Fact]
    public void Serialize_Acknowledged_ExactWireShape()
    {
        var evt = new CanonicalEvent
        {
            Id = "evt-1",
            Source = "/crm/pipedrive",
            Time = Stamp("2026-03-11T09:20:00+02:00"),
            Data = new ProposalAcknowledged { ProposalId = "P-7", AccountId = "ACME" },
        };

        Assert.Equal(
            """{"specversion":"1.0","id":"evt-1","source":"/crm/pipedrive","type":"kam.proposal.acknowledged","time":"2026-03-11T09:20:00+02:00","datacontenttype":"application/json","data":{"proposal_id":"P-7","account_id":"ACME"}}""",
            CanonicalEventJson.Serialize(evt));
    }

    [Fact]
    public void Serialize_CyrillicAndOffsets_WrittenReadably()
    {
        var evt = new CanonicalEvent
        {
            Id = "evt-2",
            Source = "/crm/amocrm",
            Time = Stamp("2026-03-11T09:20:00+03:00"),
            Data = new ProposalRejected { ProposalId = "П-7", AccountId = "ООО Ромашка", Reason = "Бюджет заморожен" },
        };

        var json = CanonicalEventJson.Serialize(evt);

        Assert.Contains("\"time\":\"2026-03-11T09:20:00+03:00\"", json, StringComparison.Ordinal);
        Assert.Contains("\"reason\":\"Бюджет заморожен\"", json, StringComparison.Ordinal);
        Assert.Equal(evt, CanonicalEventParser.ParseOrThrow(json));
    }

    [Fact]
    public void Serialize_EventBuiltInCode_ParsesBackEqual()
    {
        var evt = new CanonicalEvent
        {
            Id = "scenario-3",
            Source = "urn:kamflows:simulator",
            Time = Stamp("2026-03-10T14:00:00.125Z"),
            Subject = "proposal:P-7",
            DataSchema = new Uri("https://kamflows.example/schemas/proposal.sent.json"),
            Data = new ProposalSent
            {
                ProposalId = "P-7",
                AccountId = "ACME",
                Total = Eur(99_500.25m),
                ValidUntil = Date("2026-03-10"),
                AddressedRoles = ValueList.Of(DmuRole.Technical),
            },
            Extensions = ValueList.Of(new CloudEventExtension("traceparent", "\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"")),
        };

        Assert.Equal(evt, CanonicalEventParser.ParseOrThrow(CanonicalEventJson.Serialize(evt, indented: true)));
    }

    [Fact]
    public void Parse_ProposalSent_EveryFieldTyped()
    {
        var parsed = Parse(CanonicalEventSamples.ByType[CanonicalEventTypes.ProposalSent]);
        var data = Assert.IsType<ProposalSent>(parsed.Data);

        Assert.Equal(Stamp("2026-03-10T14:00:00+02:00"), parsed.Time);
        Assert.Equal(("P-7", "ACME", Eur(120_000m), Date("2026-03-31"), 1, 7.5m), (data.ProposalId, data.AccountId, data.Total, data.ValidUntil, data.Version, data.DiscountPercent));
        Assert.Equal(ValueList.Of(DmuRole.Executive, DmuRole.Finance), data.AddressedRoles);
        Assert.Equal((ProposalChannel.Email, "O-3", "T-9"), (data.Channel, data.OpportunityId, data.TenderId));

        var proposal = data.ToProposal(parsed.Time);
        Assert.Equal((ProposalStatus.Sent, Date("2026-03-31"), "O-3"), (proposal.Status, proposal.ValidUntil, proposal.OpportunityId));
    }

    [Fact]
    public void Parse_ProposalSentMinimal_DefaultsApplied()
    {
        var json = """
            {"specversion":"1.0","id":"e1","source":"/crm","type":"kam.proposal.sent","time":"2026-03-10T14:00:00Z",
             "data":{"proposal_id":"P-1","account_id":"A","total":{"amount":0,"currency":"USD"},"valid_until":"2026-03-10"}}
            """;
        var data = Assert.IsType<ProposalSent>(Parse(json).Data);

        Assert.Equal((1, (decimal?)null, (ProposalChannel?)null, 0), (data.Version, data.DiscountPercent, data.Channel, data.AddressedRoles.Count));
    }

    [Fact]
    public void Parse_AccountUpserted_TeamMembersWithCalendars()
    {
        var data = Data<AccountUpserted>(CanonicalEventTypes.AccountUpserted);
        var account = data.ToAccount();

        Assert.Equal("anna.virtanen@kamflows.example", account.Kam.Email.Value);
        Assert.Equal("Anna Virtanen", account.Kam.Name);
        Assert.Equal("Europe/Helsinki", account.Kam.TimeZone.Id);
        Assert.Equal("fi", account.Kam.Locale.Tag);
        Assert.Equal("08:00–16:00", account.Kam.Calendar.Hours.ToString());
        Assert.False(account.Kam.Calendar.IsBusinessDay(Date("2026-04-06")));
        Assert.Equal("America/New_York", account.Head.TimeZone.Id);
        Assert.Equal(WorkingHoursDefault, account.Head.Calendar.Hours.ToString());
        Assert.Equal(ValueList.Of(KeyClientGroup.ImageMaker, KeyClientGroup.Expert), account.AssignedGroups);
        Assert.Equal(ValueList.Of(BondKind.Personal, BondKind.InformationAndControl, BondKind.Value), account.Bonds);
        Assert.Equal(Eur(50_000m), account.PriceFloor);
        Assert.True(account.AllowsDirectReferenceRequests);
        Assert.True(account.IsKeyAccount);
    }

    private const string WorkingHoursDefault = "09:00–18:00";

    [Fact]
    public void Parse_AccountUpsertedMinimal_DefaultsForFlagsAndCalendar()
    {
        var json = CanonicalEventSamples.With(CanonicalEventTypes.AccountUpserted, "data", """
            {"account_id":"B","name":"Beta","currency":"BGN",
             "kam":{"email":"k@example.bg","time_zone":"Europe/Sofia","locale":"bg"},
             "head":{"email":"h@example.bg","time_zone":"Europe/Sofia","locale":"bg"}}
            """);
        var data = Assert.IsType<AccountUpserted>(Parse(json).Data);

        Assert.False(data.AllowsDirectReferenceRequests);
        Assert.True(data.IsKeyAccount);
        Assert.Empty(data.Groups);
        Assert.Null(data.PriceFloor);
        Assert.True(data.Kam.Calendar.WorkingDays.SetEquals(KamFlows.Domain.Calendar.BusinessCalendar.MondayToFriday));
    }

    [Fact]
    public void Parse_ContactUpserted_PersonalDataSeparatedFromContact()
    {
        var data = Data<ContactUpserted>(CanonicalEventTypes.ContactUpserted);

        var personal = data.ToPersonalData()!;
        Assert.Equal("personal:C-2", personal.Id);
        Assert.Equal("1975-04-12", personal.Birthday!.ToString());
        Assert.Equal(ValueList.Of("sailing", "chess"), personal.Hobbies);
        Assert.Equal(new FamilyMember("daughter", "Aino", new Birthday(new AnnualDate(6, 1))), Assert.Single(personal.Family));
        Assert.Equal(ValueList.Of("punctuality"), personal.Values);

        var history = data.WithoutPersonalData();
        Assert.Null(history.PersonalData);
        Assert.DoesNotContain("sailing", CanonicalEventJson.Serialize(new CanonicalEvent { Id = "e", Source = "/s", Time = Stamp("2026-03-02T09:00:00Z"), Data = history }), StringComparison.Ordinal);

        var contact = data.ToContact(personal.Id);
        Assert.Equal(("C-2", DmuRole.Finance, Influence.High, Attitude.Sceptic, "personal:C-2"), (contact.Id, contact.Role, contact.Influence, contact.Attitude, contact.PersonalDataId));
        Assert.Equal("liisa.korhonen@acme.example", contact.Email!.Value);
    }

    [Fact]
    public void Parse_ContactWithoutPersonalData_NothingToStore()
    {
        var data = Assert.IsType<ContactUpserted>(Parse(CanonicalEventSamples.With(CanonicalEventTypes.ContactUpserted, "data.personal_data", CanonicalEventSamples.Remove)).Data);
        Assert.Null(data.ToPersonalData());
        Assert.Same(data, data.WithoutPersonalData());
    }

    [Fact]
    public void Parse_DomainMappers_BuildDomainObjects()
    {
        var tender = Data<TenderAnnounced>(CanonicalEventTypes.TenderAnnounced).ToTender();
        Assert.Equal((Date("2026-11-16"), Date("2026-12-15"), "O-3"), (tender.TenderDate, tender.ResultExpectedOn, tender.OpportunityId));

        var contract = Data<ContractSigned>(CanonicalEventTypes.ContractSigned).ToContract();
        Assert.Equal((Date("2027-01-01"), Date("2029-12-31"), Eur(1_440_000m)), (contract.StartsOn, contract.EndsOn, contract.Value));

        var delivery = Data<DeliveryCompleted>(CanonicalEventTypes.DeliveryCompleted).ToDelivery(Stamp("2027-05-04T16:00:00+03:00"));
        Assert.True(delivery.IsSuccessful);

        var complaint = Data<ComplaintOpened>(CanonicalEventTypes.ComplaintOpened).ToComplaint(Stamp("2027-05-06T09:00:00+03:00"));
        Assert.Equal(("D-5", true), (complaint.DeliveryId, complaint.IsOpen));

        var revenue = Data<RevenueReported>(CanonicalEventTypes.RevenueReported).ToRevenueReport();
        Assert.Equal(("ACME", "2026-01-01..2026-03-31", Eur(120_000.50m)), (revenue.AccountId, revenue.Period.ToString(), revenue.Revenue));

        var opportunity = Data<OpportunityUpserted>(CanonicalEventTypes.OpportunityUpserted).ToOpportunity(At("2026-01-10T10:00:00Z"));
        Assert.Equal((OpportunityStage.EvaluationOfOptions, Eur(400_000m), Date("2026-12-15")), (opportunity.Stage, opportunity.Amount, opportunity.ExpectedCloseDate));
    }

    [Fact]
    public void Parse_RemainingTypes_FieldsTyped()
    {
        var meeting = Data<MeetingLogged>(CanonicalEventTypes.MeetingLogged);
        Assert.Equal((Stamp("2026-03-04T10:00:00+02:00"), ValueList.Of("C-1", "C-2"), Date("2026-03-18")), (meeting.HeldAt, meeting.ContactIds, meeting.NextStepDue));

        var agreed = Data<ProposalMeetingAgreed>(CanonicalEventTypes.ProposalMeetingAgreed);
        Assert.Equal(Stamp("2026-03-17T10:00:00+02:00"), agreed.MeetingAt);

        var revised = Data<ProposalRevised>(CanonicalEventTypes.ProposalRevised);
        Assert.Equal((2, Eur(110_000m), 12m, ProposalChannel.Letter), (revised.Version, revised.Total, revised.DiscountPercent, revised.Channel));

        var stage = Data<OpportunityStageChanged>(CanonicalEventTypes.OpportunityStageChanged);
        Assert.Equal((OpportunityStage.Decision, OpportunityStage.ResolutionOfConcerns), (stage.Stage, stage.PreviousStage));

        var result = Data<TenderResult>(CanonicalEventTypes.TenderResult);
        Assert.Equal((TenderOutcome.Won, "K-1"), (result.Outcome, result.ContractId));

        var moved = Data<TenderDateChanged>(CanonicalEventTypes.TenderDateChanged);
        Assert.Equal((Date("2026-11-30"), Date("2026-11-16")), (moved.TenderDate, moved.PreviousTenderDate));

        var rejected = Data<ProposalRejected>(CanonicalEventTypes.ProposalRejected);
        Assert.Equal(("Budget frozen", "Rival AB", 2), (rejected.Reason, rejected.Competitor, rejected.Version));

        var reference = Data<ReferenceReceived>(CanonicalEventTypes.ReferenceReceived);
        Assert.Equal((ReferenceKind.Letter, "https://www.kamflows.example/references/acme.pdf"), (reference.Kind, reference.Url!.OriginalString));

        Assert.Equal("GDPR request 2026-17", Data<ContactErased>(CanonicalEventTypes.ContactErased).Reason);
        Assert.Equal("Firmware updated on site", Data<ComplaintResolved>(CanonicalEventTypes.ComplaintResolved).Resolution);
        Assert.Equal("K-1", Data<ProposalAccepted>(CanonicalEventTypes.ProposalAccepted).ContractId);
        Assert.Equal("C-2", Data<ProposalAcknowledged>(CanonicalEventTypes.ProposalAcknowledged).ContactId);
    }

    [Fact]
    public void Parse_ValidUntilOnSendersLocalDate_AcceptedThoughLaterInUtc()
    {
        // 23:30 in New York on 31 March is 1 April in UTC; the sender's date is what "valid until" is compared with.
        var json = CanonicalEventSamples.With(CanonicalEventTypes.ProposalSent, "time", "\"2026-03-31T23:30:00-05:00\"");

        Assert.Equal(Date("2026-03-31"), Assert.IsType<ProposalSent>(Parse(json).Data).ValidUntil);
    }

    [Fact]
    public void Parse_TimeWithFractionAndZ_KeepsPrecisionAndOffset()
    {
        var parsed = Parse(CanonicalEventSamples.With(CanonicalEventTypes.ProposalAcknowledged, "time", "\"2026-03-11T07:20:00.123456Z\""));
        Assert.Equal(Offset.Zero, parsed.Time.Offset);
        Assert.Equal(123_456_000, parsed.Time.NanosecondOfSecond);
    }

    [Fact]
    public void Parse_OptionalMembersNull_TreatedAsAbsent()
    {
        var json = CanonicalEventSamples.With(CanonicalEventTypes.ProposalSent, "data.opportunity_id", "null");
        var data = Assert.IsType<ProposalSent>(Parse(json).Data);
        Assert.Null(data.OpportunityId);
    }

    [Fact]
    public void Parse_ContentTypeWithCharsetAndSubject_Accepted()
    {
        var json = CanonicalEventSamples.With(CanonicalEventTypes.ProposalAcknowledged, "datacontenttype", "\"Application/JSON; charset=utf-8\"");
        json = CanonicalEventSamples.Change(json, "subject", "\"proposal/P-7\"");
        var parsed = Parse(json);
        Assert.Equal("proposal/P-7", parsed.Subject);
    }

    [Fact]
    public void Parse_ExtensionAttributes_KeptAndWrittenBack()
    {
        var json = CanonicalEventSamples.With(CanonicalEventTypes.ProposalAcknowledged, "retries", "2");
        json = CanonicalEventSamples.Change(json, "replayed", "false");
        json = CanonicalEventSamples.Change(json, "nothing", "null");
        json = CanonicalEventSamples.Change(json, "traceparent", "\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"");

        var parsed = Parse(json);

        Assert.Equal(
            ValueList.Of(new CloudEventExtension("retries", "2"), new CloudEventExtension("replayed", "false"), new CloudEventExtension("traceparent", "\"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01\"")),
            parsed.Extensions);
        Assert.Equal(parsed, Parse(CanonicalEventJson.Serialize(parsed)));
    }

    [Fact]
    public void Parse_Utf8Bytes_SameAsString()
    {
        var json = CanonicalEventSamples.ByType[CanonicalEventTypes.TenderAnnounced];
        Assert.Equal(Parse(json), CanonicalEventParser.Parse(Encoding.UTF8.GetBytes(json)).Event);
    }

    [Fact]
    public void Parse_IdOfTwoHundredCharacters_Accepted() =>
        Parse(CanonicalEventSamples.With(CanonicalEventTypes.ProposalAcknowledged, "data.proposal_id", "\"" + new string('p', 200) + "\""));

    [Fact]
    public void Parse_BirthdayWithoutYear_Accepted()
    {
        var data = Assert.IsType<ContactUpserted>(Parse(CanonicalEventSamples.With(CanonicalEventTypes.ContactUpserted, "data.personal_data.birthday", "\"--02-29\"")).Data);
        Assert.Equal(new Birthday(new AnnualDate(2, 29)), data.PersonalData!.Birthday);
    }

    [Fact]
    public void ParseResult_ToString_SummarisesValidEvent() =>
        Assert.Equal("valid kam.tender.result evt-kam.tender.result", CanonicalEventParser.Parse(CanonicalEventSamples.ByType[CanonicalEventTypes.TenderResult]).ToString());
}
