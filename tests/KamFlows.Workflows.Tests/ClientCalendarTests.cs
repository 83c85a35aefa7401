using KamFlows.Workflows.Ports;

namespace KamFlows.Workflows.Tests;

/// <summary>DOMAIN.md "The client has a calendar and a language": client deadlines count the client's business days; client mail is in the client's language.</summary>
public sealed class ClientCalendarTests
{
    [Fact]
    public async Task ProposalExpiryReminder_BulgarianClient_OneBusinessDayLeftComesADayEarlier_BecauseOfStGeorgesDay()
    {
        // Valid until Wednesday 7 May 2025; Tuesday 6 May is a Bulgarian holiday (St George's Day), not a Finnish one.
        async Task<string> OneDayLeftAsync(string? clientCountry)
        {
            await using var host = await WorkflowHost.StartAsync(At("2025-04-22T10:00:00+03:00"), accounts: r =>
            {
                Acme(r);
                r.Profiles[AccountId] = Profile() with { Kam = Kam with { Holidays = [] }, Country = clientCountry };
            });
            await host.SendAsync(Ev.ProposalSent("P-1", "2025-04-22T10:00:00+03:00", 125_000m, "2025-05-07"));
            await host.SendAsync(Ev.Acknowledged("P-1", "2025-04-22T11:00:00+03:00"));
            await host.AdvanceToAsync(At("2025-05-08T00:00:00+03:00"));
            return RecordingOutbox.Local(host.Outbox.Of(NotificationKind.ProposalExpiryReminder).Single(r => r.NotificationId.EndsWith("|1bd", StringComparison.Ordinal)));
        }

        Assert.Equal("2025-05-06T09:00:00+03:00", await OneDayLeftAsync(null));  // Only the KAM's (Finnish) calendar: Tuesday.
        Assert.Equal("2025-05-05T09:00:00+03:00", await OneDayLeftAsync("BG"));  // The client's: Monday, its last working day before the date.
    }

    [Fact]
    public async Task ProposalExpiryReminder_RussianClient_WorkingSaturdayCounts()
    {
        // Valid until Wednesday 5 November 2025. In Russia Monday 3 and Tuesday 4 November are days off and Saturday 1 November is worked.
        await using var host = await WorkflowHost.StartAsync(At("2025-10-20T10:00:00+03:00"), accounts: r =>
        {
            Acme(r);
            r.Profiles[AccountId] = Profile() with { Kam = Kam with { Holidays = [] }, Country = "RU" };
        });
        await host.SendAsync(Ev.ProposalSent("P-1", "2025-10-20T10:00:00+03:00", 125_000m, "2025-11-05"));
        await host.SendAsync(Ev.Acknowledged("P-1", "2025-10-20T11:00:00+03:00"));
        await host.AdvanceToAsync(At("2025-11-06T00:00:00+02:00"));

        // 1 Russian business day before 5 November is Saturday 1 November; the Finnish KAM does not work on Saturdays: Friday 31 October.
        var oneLeft = host.Outbox.Of(NotificationKind.ProposalExpiryReminder).Single(r => r.NotificationId.EndsWith("|1bd", StringComparison.Ordinal));
        Assert.Equal("2025-10-31T09:00:00+02:00", RecordingOutbox.Local(oneLeft));
    }

    [Theory]
    [InlineData(null, "2026-03-03T09:00:00+02:00")] // Only the KAM's (Finnish) calendar: Tuesday.
    [InlineData("BG", "2026-03-04T09:00:00+02:00")] // Tuesday 3 March is Liberation Day in Bulgaria: the client had no business day until Wednesday.
    public async Task ProposalCallToConfirmReceipt_BulgarianHolidayTheDayAfterSending_MovesTheCall(string? clientCountry, string expected)
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-03-02T10:00:00+02:00"), accounts: r =>
        {
            Acme(r);
            r.Profiles[AccountId] = Profile() with { Country = clientCountry };
        });
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-03-02T10:00:00+02:00", 125_000m, "2026-04-30"));
        await host.AdvanceToAsync(At("2026-03-04T12:00:00+02:00"));

        var call = host.Outbox.One(NotificationKind.ProposalCallToConfirmReceipt);
        Assert.Equal(KamEmail, call.Recipient.Email);
        Assert.Equal(expected, RecordingOutbox.Local(call));
    }

    [Fact]
    public async Task ProposalCallToConfirmReceipt_ClientsBusinessDayIsTheKamsHoliday_CallOnTheNextDayBothWork()
    {
        // Sent Wednesday 13 May 2026. Thursday 14 May is Ascension Day, a Finnish holiday but a Bulgarian working day: the client's
        // business day after sending, yet the KAM cannot call on it: Friday 15 May, a business day for both.
        await using var host = await WorkflowHost.StartAsync(At("2026-05-13T10:00:00+03:00"), accounts: r =>
        {
            Acme(r);
            r.Profiles[AccountId] = Profile() with { Country = "BG" };
        });
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-05-13T10:00:00+03:00", 125_000m, "2026-06-30"));
        await host.AdvanceToAsync(At("2026-05-15T12:00:00+03:00"));

        Assert.Equal("2026-05-15T09:00:00+03:00", RecordingOutbox.Local(host.Outbox.One(NotificationKind.ProposalCallToConfirmReceipt)));
    }

    [Theory]
    [InlineData(null, "2026-06-10T09:00:00+09:00")] // The KAM's calendar alone: the morning after the date, in Tokyo.
    [InlineData("US", "2026-06-11T09:00:00+09:00")] // Valid through 9 June in New York: that day ends at 13:00 on 10 June in Tokyo.
    public async Task ProposalExpired_ValidityIsTheClientsDate_TheKamHearsOnlyAfterTheClientsDayIsOver(string? clientCountry, string expected)
    {
        // A KAM in Tokyo (no Japanese holiday in these weeks) and an American client (New York time, the country's first zone).
        await using var host = await WorkflowHost.StartAsync(At("2026-05-25T10:00:00+09:00"), accounts: r =>
        {
            Acme(r);
            r.Profiles[AccountId] = Profile() with { Kam = Kam with { TimeZone = "Asia/Tokyo", Holidays = [] }, Country = clientCountry };
        });
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-05-25T10:00:00+09:00", 125_000m, "2026-06-09"));
        await host.SendAsync(Ev.Acknowledged("P-1", "2026-05-25T11:00:00+09:00"));
        await host.AdvanceToAsync(At("2026-06-12T00:00:00+09:00"));

        var expired = host.Outbox.One(NotificationKind.ProposalExpired);
        Assert.Equal(expected, RecordingOutbox.Local(expired));
        Assert.Equal("2026-06-09", expired.Fields["valid_until"].Date);
        Assert.DoesNotContain(host.Upcoming.PlanOf("proposal:P-1"), a => a.Kind == nameof(NotificationKind.ProposalExpired)); // Sent once, not planned again.
    }

    [Theory]
    [InlineData(null, "2026-02-13T09:00:00+02:00")] // The KAM's date of the meeting is Monday 16 February: the business day before is Friday.
    [InlineData("NZ", "2026-02-16T09:00:00+02:00")] // The meeting is on the client's Tuesday 17 February: Monday morning, before it starts at 23:00.
    public async Task ProposalMeetingPreparation_MeetingIsOnTheClientsDate(string? clientCountry, string expected)
    {
        // A video call at 10:00 in Auckland on Tuesday 17 February 2026 is 23:00 on Monday in Helsinki.
        await using var host = await WorkflowHost.StartAsync(At("2026-02-09T10:00:00+02:00"), accounts: r =>
        {
            Acme(r);
            r.Profiles[AccountId] = Profile() with { Country = clientCountry };
        });
        await host.SendAsync(Ev.ProposalSent("P-1", "2026-02-09T10:00:00+02:00", 125_000m, "2026-03-31"));
        await host.SendAsync(Ev.Acknowledged("P-1", "2026-02-09T11:00:00+02:00"));
        await host.SendAsync(Ev.MeetingAgreed("P-1", "2026-02-10T10:00:00+02:00", "2026-02-17T10:00:00+13:00"));
        await host.AdvanceToAsync(At("2026-02-18T00:00:00+02:00"));

        var preparation = host.Outbox.One(NotificationKind.ProposalMeetingPreparation);
        Assert.Equal(KamEmail, preparation.Recipient.Email);
        Assert.Equal(expected, RecordingOutbox.Local(preparation));
        Assert.Equal(At("2026-02-16T23:00:00+02:00"), preparation.Fields["meeting_at"].Instant);
    }

    [Fact]
    public async Task ReferenceLetterRequestToClient_BulgarianContact_InBulgarianAndSofiaTime()
    {
        await using var host = await WorkflowHost.StartAsync(At("2026-04-17T15:00:00+03:00"), accounts: r =>
        {
            r.Profiles[AccountId] = Profile(allowsDirectReferenceRequests: true) with { Country = "BG" };
            r.AddContact(Mikko with { Name = "Dimitar Ivanov", Country = "BG" }); // No locale or zone of his own: Bulgaria's.
        });
        await host.SendAsync(Ev.DeliveryCompleted("D-5", "2026-04-17T15:00:00+03:00"));
        await host.AdvanceToAsync(At("2026-05-20T00:00:00+03:00"));

        var request = host.Outbox.One(NotificationKind.ReferenceLetterRequestToClient);
        Assert.Equal("bg", request.Recipient.Locale);
        Assert.Equal("Europe/Sofia", request.Recipient.TimeZone);
        Assert.Equal(string.Empty, request.Fields["kam_title"].Text); // Unknown title: the signature leaves it out.
    }

    [Theory]
    [InlineData("ru-RU", null, null, "ru-RU")] // The contact's own language wins.
    [InlineData(null, "RU", null, "ru")]
    [InlineData(null, null, "BG", "bg")]       // The account's country when the contact has none.
    [InlineData(null, "DE", null, "en")]       // A country without templates of its own: English, not the KAM's Finnish.
    [InlineData(null, null, null, "fi")]       // Nothing known about the client: the KAM's language, as before.
    public void ClientLocale_ContactThenCountryThenKam(string? contactLocale, string? contactCountry, string? accountCountry, string expected)
    {
        var contact = Mikko with { Locale = contactLocale, Country = contactCountry };
        var profile = Profile() with { Country = accountCountry };

        Assert.Equal(expected, Activities.EnqueueNotificationActivity.ClientLocale(contact, profile));
    }

    [Theory]
    [InlineData("Asia/Tokyo", "BG", null, "Asia/Tokyo")]            // The contact's own zone wins.
    [InlineData(null, "BG", null, "Europe/Sofia")]                  // Another country than the KAM's: its first tz database zone.
    [InlineData(null, null, "BG", "Europe/Sofia")]                  // The account's country when the contact has none.
    [InlineData(null, "RU", null, "Europe/Moscow")]                 // The country's principal zone, not the tz database's first (Kaliningrad).
    [InlineData(null, "FI", null, "Europe/Helsinki")]               // The KAM's own country: the KAM's zone.
    [InlineData(null, null, null, "Europe/Helsinki")]               // Nothing known about the client: the KAM's zone.
    public void ClientTimeZone_ContactThenCountryThenKam(string? contactZone, string? contactCountry, string? accountCountry, string expected)
    {
        var contact = Mikko with { TimeZone = contactZone, Country = contactCountry };
        var profile = Profile() with { Country = accountCountry };

        Assert.Equal(expected, Activities.EnqueueNotificationActivity.ClientTimeZone(contact, profile));
    }

    [Fact]
    public void ClientCalendar_RussianClient_OnMoscowTime_UnderTheSeedRules_ExecutionsBeforeKeepKaliningrad()
    {
        var profile = Profile() with { Country = "RU" };
        var kam = Common.RecipientCalendar.For(profile.Kam, new TimeOnly(9, 0));

        Assert.Equal("Europe/Moscow", Common.RecipientCalendar.ForClient(profile, kam)!.Calendar.Zone.Id);
        Assert.Equal("Europe/Kaliningrad", Common.RecipientCalendar.ForClient(profile, kam, principalZone: false)!.Calendar.Zone.Id);
    }
}
