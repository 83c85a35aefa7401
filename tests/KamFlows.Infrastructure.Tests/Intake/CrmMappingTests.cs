using System.Text;
using KamFlows.Infrastructure.Intake;
using KamFlows.Infrastructure.Intake.AmoCrm;
using KamFlows.Infrastructure.Intake.Bitrix24;
using KamFlows.Infrastructure.Intake.Mapping;
using KamFlows.Infrastructure.Intake.Pipedrive;

namespace KamFlows.Infrastructure.Tests.Intake;

public sealed class CrmMappingTests
{
    [Theory]
    [InlineData("hubspot")]
    [InlineData("pipedrive")]
    [InlineData("bitrix24")]
    [InlineData("amocrm")]
    public void SampleMapping_ShippedInTheRepository_Loads(string crm) =>
        Assert.StartsWith("/crm/", CrmMapping.Load(Samples.Mapping(crm)).Source, StringComparison.Ordinal);

    [Theory]
    [InlineData("""{"rules":[]}""", "source: required")]
    [InlineData("""{"source":"/x","rules":[]}""", "rules: required")]
    [InlineData("""{"source":"/x","rules":[{"name":"Bad Name","when":{"a":"b"},"type":"kam.meeting.logged","time":"{t}","data":{}}]}""", "rules[0].name")]
    [InlineData("""{"source":"/x","rules":[{"name":"r","when":{},"type":"kam.meeting.logged","time":"{t}","data":{}}]}""", "rules[0].when")]
    [InlineData("""{"source":"/x","rules":[{"name":"r","when":{"a":"b"},"type":"kam.nope","time":"{t}","data":{}}]}""", "rules[0].type")]
    [InlineData("""{"source":"/x","rules":[{"name":"r","when":{"a":"b"},"type":"kam.meeting.logged","data":{}}]}""", "rules[0].time")]
    [InlineData("""{"source":"/x","rules":[{"name":"r","when":{"a":"b"},"type":"kam.meeting.logged","time":"{t|frobnicate}","data":{}}]}""", "unknown filter 'frobnicate'")]
    [InlineData("""{"source":"/x","rules":[{"name":"r","when":{"a":"b"},"type":"kam.meeting.logged","time":"{t}","data":{"x":"{s|lookup:stages}"}}]}""", "rules[0].data.x: lookup table 'stages'")]
    [InlineData("""{"source":"/x","rules":[{"name":"r","when":{"a":"b"},"type":"kam.meeting.logged","time":"{t}","data":{"x":"{open"}}]}""", "unclosed placeholder")]
    [InlineData("""{"source":"/x","extra":1,"rules":[{"name":"r","when":{"a":"b"},"type":"kam.meeting.logged","time":"{t}","data":{}}]}""", "$.extra: unknown member")]
    [InlineData("""{"source":"/x","rules":[{"name":"r","when":{"a":"b"},"type":"kam.meeting.logged","time":"{t}","data":{}},{"name":"r","when":{"a":"b"},"type":"kam.meeting.logged","time":"{t}","data":{}}]}""", "rules[1].name: 'r' is used")]
    [InlineData("not json", "not valid JSON")]
    public void Parse_BadMapping_NamesOriginPathAndProblem(string json, string expected)
    {
        var ex = Assert.Throws<CrmMappingException>(() => CrmMapping.Parse(json, "crm.json"));
        Assert.StartsWith("Mapping file crm.json: ", ex.Message, StringComparison.Ordinal);
        Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_MissingFile_NamesTheFile() =>
        Assert.Contains("/nowhere/x.json", Assert.Throws<CrmMappingException>(() => CrmMapping.Load("/nowhere/x.json")).Message, StringComparison.Ordinal);

    [Fact]
    public void Map_Filters_ConvertCrmTextToCanonicalValues()
    {
        var mapping = CrmMapping.Parse("""
            {"source":"/crm/t","lookups":{"roles":{"CFO":"finance"}},
             "rules":[{"name":"sent","when":{"kind":["sent","resent"]},"type":"kam.proposal.sent","time":"{at|epoch_s}",
               "data":{"proposal_id":"P-{id|trim}","account_id":"{acc|upper}","total":{"amount":"{sum|number}","currency":"{cur|default:EUR}"},
                       "valid_until":"{until|date}","version":"{v|int}","addressed_roles":"{roles|list}","channel":"{missing}"}}]}
            """, "t");
        var record = new CrmRecord(0, "r1", new Dictionary<string, string>
        {
            ["kind"] = "resent", ["at"] = "1772438400", ["id"] = " 42 ", ["acc"] = "acme", ["sum"] = "1500.50", ["until"] = "31.12.2099", ["v"] = "2", ["roles"] = "finance; executive",
        });

        var result = CrmMapper.Map(mapping, "t", [record]);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        var sent = Assert.IsType<KamFlows.Domain.Events.Data.ProposalSent>(Assert.Single(result.Events).Data);
        Assert.Equal(("P-42", "ACME", 1500.50m, "EUR", 2), (sent.ProposalId, sent.AccountId, sent.Total.Amount, sent.Total.Currency.Code, sent.Version));
        Assert.Equal(new NodaTime.LocalDate(2099, 12, 31), sent.ValidUntil);
        Assert.Equal(2, sent.AddressedRoles.Count);
        Assert.Null(sent.Channel);
        Assert.Equal("t-r1-sent", result.Events[0].Id);
    }

    [Fact]
    public void Map_SameChangeTwiceInOneRequest_TakenOnceAndTheSameIdWithOtherContentNamesBoth()
    {
        var mapping = CrmMapping.Parse("""
            {"source":"/crm/t","rules":[{"name":"acct","when":{"kind":"account"},"type":"kam.account.upserted","time":"{at|epoch_s}",
               "data":{"account_id":"{acc}","name":"{name}","kam":{"email":"kam@s.example","time_zone":"Europe/Helsinki","locale":"fi"},
                       "head":{"email":"head@s.example","time_zone":"Europe/Helsinki","locale":"fi"},"currency":"EUR"}}]}
            """, "t");
        Dictionary<string, string> Fields(string name) => new() { ["kind"] = "account", ["at"] = "1772438400", ["acc"] = "ACME", ["name"] = name };

        var repeated = CrmMapper.Map(mapping, "t", [new CrmRecord(0, "r1", Fields("Acme")), new CrmRecord(1, "r2", Fields("Beta")), new CrmRecord(2, "r1", Fields("Acme"))]);
        var conflicting = CrmMapper.Map(mapping, "t", [new CrmRecord(0, "r1", Fields("Acme")), new CrmRecord(1, "r1", Fields("Acme Oy"))]);

        Assert.True(repeated.IsValid, string.Join("; ", repeated.Errors));
        Assert.Equal(["t-r1-acct", "t-r2-acct"], repeated.Events.Select(e => e.Id));
        Assert.Equal(["events[0]", "events[1]"], repeated.Paths);
        Assert.Equal(["events[0].id", "events[1].id"], conflicting.Errors.Select(e => e.Path));
        Assert.False(conflicting.IsValid);
    }

    [Fact]
    public void Map_NoRuleMatches_RecordIsIgnoredNotAnError()
    {
        var mapping = CrmMapping.Load(Samples.Mapping("hubspot"));
        var result = CrmMapper.Map(mapping, "hubspot", [new CrmRecord(0, "x", new Dictionary<string, string> { ["subscriptionType"] = "contact.creation" })]);
        Assert.True(result.IsValid);
        Assert.Empty(result.Events);
        Assert.Equal(1, result.Ignored);
    }

    private static WebhookRequest Form(string body, Func<string, string?>? query = null, Func<string, string?>? header = null, string contentType = "application/x-www-form-urlencoded") =>
        new("POST", "http://h/x", contentType, Encoding.UTF8.GetBytes(body), DateTimeOffset.UtcNow, header ?? (_ => null), query ?? (_ => null));

    [Fact]
    public void Pipedrive_V2DealStageChange_MapsWithOrganisationAsAccount()
    {
        var source = new PipedriveSource("u:p", CrmMapping.Load(Samples.Mapping("pipedrive")));
        var body = """
            {"data":{"id":31,"org_id":77,"stage_id":4,"status":"open","custom_fields":{}},"previous":{"stage_id":3},
             "meta":{"action":"change","entity":"deal","entity_id":"31","id":"0b6e1b1e-1111-4a53-9d7b-1f1c2d3e4f50","timestamp":"2026-03-02T07:00:00.000Z"}}
            """;
        var auth = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("u:p"));

        Assert.Null(source.Authenticate(Form(body, header: h => h == "Authorization" ? auth : null, contentType: "application/json")));
        Assert.NotNull(source.Authenticate(Form(body, header: h => h == "Authorization" ? auth + "x" : null, contentType: "application/json")));
        var result = source.Read(Form(body, contentType: "application/json"));
        var e = Assert.Single(result.Events);
        Assert.Equal("org-77", e.AccountId);
        Assert.Equal("decision", KamFlows.Domain.Events.WireName.Of(((KamFlows.Domain.Events.Data.OpportunityStageChanged)e.Data).Stage));
        Assert.Equal("meta", new PipedriveSource("u:p", CrmMapping.Load(Samples.Mapping("pipedrive"))).Read(Form("{}", contentType: "application/json")).Errors[0].Path);
    }

    [Fact]
    public void Bitrix24_RobotFormWithValidUntil_MapsToProposalSent_TokenNotKept()
    {
        var source = new Bitrix24Source("tok", CrmMapping.Load(Samples.Mapping("bitrix24")));
        var body = "event=ONCRMDEALUPDATE&data[FIELDS][ID]=9&data[FIELDS][COMPANY_ID]=42&data[FIELDS][UF_CRM_VALID_UNTIL]=31.12.2099" +
                   "&data[FIELDS][OPPORTUNITY]=250000&data[FIELDS][CURRENCY_ID]=RUB&ts=1772438400&auth[application_token]=tok";

        Assert.Null(source.Authenticate(Form(body)));
        Assert.NotNull(source.Authenticate(Form(body.Replace("=tok", "=tak", StringComparison.Ordinal))));
        var e = Assert.Single(source.Read(Form(body)).Events);
        Assert.Equal("kam.proposal.sent", e.Type);
        Assert.Equal("company-42", e.AccountId);
        Assert.Equal(e.Id, source.Read(Form(body)).Events[0].Id);
        Assert.NotEqual(e.Id, source.Read(Form(body.Replace("ts=1772438400", "ts=1772438401", StringComparison.Ordinal))).Events[0].Id);
    }

    [Fact]
    public void AmoCrm_TwoLeadStatusChanges_BecomeTwoEventsWithCustomFieldAccount()
    {
        var source = new AmoCrmSource("secret-token", CrmMapping.Load(Samples.Mapping("amocrm")));
        var body = "leads[status][0][id]=1&leads[status][0][status_id]=142&leads[status][0][last_modified]=1772438400" +
                   "&leads[status][0][custom_fields][0][id]=512345&leads[status][0][custom_fields][0][values][0][value]=9001" +
                   "&leads[status][1][id]=2&leads[status][1][status_id]=143&leads[status][1][last_modified]=1772438400" +
                   "&leads[status][1][custom_fields][0][id]=512345&leads[status][1][custom_fields][0][values][0][value]=9002&account[id]=29085955";

        Assert.Null(source.Authenticate(Form(body, q => q == "token" ? "secret-token" : null)));
        Assert.NotNull(source.Authenticate(Form(body, q => q == "token" ? "secret-tokem" : null)));
        var events = source.Read(Form(body)).Events;
        Assert.Equal(["company-9001", "company-9002"], events.Select(e => e.AccountId));
        Assert.Equal("$", source.Read(Form("a=b")).Errors[0].Path);
    }

    [Fact]
    public void IntakeShards_AreStableAcrossProcesses()
    {
        // FNV-1a of the UTF-8 id modulo 64: fixed values, so a change of hash would fail here, not silently reshuffle shards.
        Assert.Equal(IntakeShards.For("ACME"), IntakeShards.For(new string("ACME".ToCharArray())));
        Assert.Equal([47, 14, 1], new[] { "ACME", "GLOBEX", "Initech" }.Select(IntakeShards.For));
    }
}
