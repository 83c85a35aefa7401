using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>Issue 14 item 7: the meeting texts say what is known — the named attendees, else the DMU, else that it is not mapped; "unknown" instead of a made-up date.</summary>
public sealed class MeetingTemplateTests
{
    private static readonly TemplateValue NoRows = TemplateValue.OfTable([]);

    private static RenderedEmail Render(NotificationKind kind, string language, params (string Key, TemplateValue Value)[] changes) =>
        EmailTestKit.RenderSample(kind, language, changes);

    [Theory]
    [InlineData("en", "Attendees:", "Mikko Laine: executive, supporter", "Sari Koski")]
    [InlineData("ru", "Участники:", "Mikko Laine:", "Sari Koski")]
    [InlineData("fi", "Osallistujat:", "Mikko Laine:", "Sari Koski")]
    [InlineData("bg", "Участници:", "Mikko Laine:", "Sari Koski")]
    public void Preparation_NamedAttendees_OnlyThemWithRoleAndAttitude(string language, string heading, string attendee, string notAttending)
    {
        var text = Render(NotificationKind.MeetingPreparationReminder, language).Text;
        Assert.Contains(heading, text, StringComparison.Ordinal);
        Assert.Contains(attendee, text, StringComparison.Ordinal);
        Assert.DoesNotContain(notAttending, text, StringComparison.Ordinal);
        Assert.Contains("CP-1", text, StringComparison.Ordinal);
        Assert.Contains("P-1001", text, StringComparison.Ordinal);
        Assert.Contains("Pilot review with IT", text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "The CRM names no attendees. Decision-making unit:", "The decision-making unit is not mapped yet")]
    [InlineData("ru", "В CRM участники не указаны. Центр принятия решений:", "Центр принятия решений ещё не описан")]
    [InlineData("fi", "CRM:ssä ei ole nimetty osallistujia. Päätöksentekoryhmä:", "Päätöksentekoryhmää ei ole vielä kartoitettu")]
    [InlineData("bg", "В CRM не са посочени участници. Център за вземане на решения:", "Центърът за вземане на решения още не е описан")]
    public void Preparation_NoAttendeesNamed_TheDmu_OrSaysItIsNotMapped(string language, string dmuHeading, string notMapped)
    {
        var withDmu = Render(NotificationKind.MeetingPreparationReminder, language, ("attendees", NoRows)).Text;
        Assert.Contains(dmuHeading, withDmu, StringComparison.Ordinal);
        Assert.Contains("Sari Koski", withDmu, StringComparison.Ordinal);

        var nothing = Render(NotificationKind.MeetingPreparationReminder, language, ("attendees", NoRows), ("dmu", NoRows)).Text;
        Assert.Contains(notMapped, nothing, StringComparison.Ordinal);
        Assert.DoesNotContain("Mikko Laine", nothing, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "No meeting with the client has been recorded yet.", "No open complaints.", "No open proposals.", "validity unknown")]
    [InlineData("ru", "Встреч с клиентом пока не записано.", "Открытых жалоб нет.", "Открытых коммерческих предложений нет.", "срок действия неизвестен")]
    [InlineData("fi", "Asiakkaan kanssa ei ole vielä kirjattu tapaamisia.", "Ei avoimia reklamaatioita.", "Ei avoimia tarjouksia.", "voimassaolo ei tiedossa")]
    [InlineData("bg", "Все още няма записани срещи с клиента.", "Няма отворени рекламации.", "Няма отворени оферти.", "срокът на валидност не е известен")]
    public void Preparation_NothingOpenOrKnown_SaysSo_NeverAMadeUpDate(string language, string noMeetings, string noComplaints, string noProposals, string unknownValidity)
    {
        var empty = Render(NotificationKind.MeetingPreparationReminder, language, ("recent_meetings", NoRows), ("open_complaints", NoRows), ("open_proposals", NoRows)).Text;
        Assert.Contains(noMeetings, empty, StringComparison.Ordinal);
        Assert.Contains(noComplaints, empty, StringComparison.Ordinal);
        Assert.Contains(noProposals, empty, StringComparison.Ordinal);

        var unknown = TemplateValue.OfTable([new Dictionary<string, TemplateValue>(StringComparer.Ordinal)
        {
            ["proposal_id"] = TemplateValue.OfText("P-9"), ["version"] = TemplateValue.OfNumber(1), ["valid_until"] = TemplateValue.OfUnknown(TemplateValueKind.Date),
        }]);
        Assert.Contains(unknownValidity, Render(NotificationKind.MeetingPreparationReminder, language, ("open_proposals", unknown)).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Record the outcome", "Reminder: record the outcome", "this is the last reminder")]
    [InlineData("ru", "Внесите итоги встречи", "Повторное напоминание: внесите итоги встречи", "это последнее напоминание")]
    [InlineData("fi", "Kirjaa tapaamisen tulos", "Muistutus: kirjaa tapaamisen tulos", "tämä on viimeinen muistutus")]
    [InlineData("bg", "Запишете резултата", "Напомняне: запишете резултата", "това е последното напомняне")]
    public void OutcomePrompt_TheRepeatSaysItIsTheLast(string language, string first, string repeat, string last)
    {
        var one = Render(NotificationKind.MeetingOutcomeNotRecorded, language, ("reminder_number", TemplateValue.OfNumber(1)));
        var two = Render(NotificationKind.MeetingOutcomeNotRecorded, language, ("reminder_number", TemplateValue.OfNumber(2)));
        Assert.StartsWith(first, one.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(last, one.Text, StringComparison.Ordinal);
        Assert.StartsWith(repeat, two.Subject, StringComparison.Ordinal);
        Assert.Contains(last, two.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("fi")]
    [InlineData("bg")]
    public void Meeting_WithoutSubjectOrLocation_NoEmptyCommasOrParentheses(string language)
    {
        var prep = Render(NotificationKind.MeetingPreparationReminder, language, ("meeting_subject", TemplateValue.OfText(string.Empty)), ("meeting_location", TemplateValue.OfText(string.Empty))).Text;
        var prompt = Render(NotificationKind.MeetingOutcomeNotRecorded, language, ("meeting_subject", TemplateValue.OfText(string.Empty))).Text;
        foreach (var text in new[] { prep, prompt })
        {
            Assert.DoesNotContain("()", text, StringComparison.Ordinal);
            Assert.DoesNotContain(", ,", text, StringComparison.Ordinal);
            Assert.DoesNotContain(": .", text, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("en", "Cancelled: meeting with Acme Oy", "has been cancelled in the CRM", "Reason: The client's board meeting moved", "Reason:", "the attached cancellation removes the meeting from your calendar")]
    [InlineData("ru", "Отменена встреча с клиентом Acme Oy", "отменена в CRM", "Причина: The client's board meeting moved", "Причина:", "отмена во вложении уберёт встречу из вашего календаря")]
    [InlineData("fi", "Tapaaminen peruttu: Acme Oy", "on peruttu CRM:ssä", "Syy: The client's board meeting moved", "Syy:", "liitteenä oleva peruutus poistaa tapaamisen kalenteristasi")]
    [InlineData("bg", "Отменена среща с Acme Oy", "е отменена в CRM", "Причина: The client's board meeting moved", "Причина:", "приложеното анулиране ще премахне срещата от календара ви")]
    public void CancelledNotice_SaysTheMeetingIsOffAndTheInviteWithdrawn_WithTheReasonOnlyWhenGiven(string language, string subject, string cancelled, string reason, string reasonLabel, string withdrawn)
    {
        var given = Render(NotificationKind.MeetingCancelledNotice, language);
        Assert.StartsWith(subject, given.Subject, StringComparison.Ordinal);
        foreach (var body in new[] { given.Text, given.Html })
        {
            Assert.Contains(cancelled, body, StringComparison.Ordinal);
            Assert.Contains("Pilot results", body, StringComparison.Ordinal);
            Assert.Contains(withdrawn, body, StringComparison.Ordinal);
        }

        Assert.Contains(reason, given.Text, StringComparison.Ordinal);
        Assert.Contains($"<p>{reasonLabel} The client", given.Html, StringComparison.Ordinal);

        var none = Render(NotificationKind.MeetingCancelledNotice, language, ("cancellation_reason", TemplateValue.OfText(string.Empty)), ("meeting_subject", TemplateValue.OfText(string.Empty)));
        Assert.DoesNotContain(reasonLabel, none.Text, StringComparison.Ordinal); // No empty "Reason:" line when the CRM gave none.
        Assert.DoesNotContain(reasonLabel, none.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("()", none.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(", )", none.Text, StringComparison.Ordinal);
        Assert.Contains(withdrawn, none.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Moved: meeting with Acme Oy, now ", "has been moved in the CRM from {0} to ", "The attached invitation moves it in your calendar.", ", at Acme HQ, Espoo")]
    [InlineData("ru", "Встреча с клиентом Acme Oy перенесена на ", "перенесена в CRM с {0} на ", "Приглашение во вложении перенесёт встречу в вашем календаре.", ", место: Acme HQ, Espoo")]
    [InlineData("fi", "Tapaaminen siirretty: Acme Oy, uusi aika ", "on siirretty CRM:ssä. Aiempi aika: {0}. Uusi aika: ", "Liitteenä oleva kalenterikutsu päivittää ajan kalenteriisi.", ", paikka: Acme HQ, Espoo")]
    [InlineData("bg", "Срещата с Acme Oy е преместена на ", "е преместена в CRM от {0} на ", "Приложената покана ще премести срещата в календара ви.", ", място: Acme HQ, Espoo")]
    public void MovedNotice_SaysFromAndTo_AndThatTheInviteMovesIt(string language, string subject, string fromTo, string updated, string location)
    {
        var format = new LocaleFormat(language, EmailTestKit.Helsinki);
        var sample = NotificationCatalog.For(NotificationKind.MeetingMovedNotice).SampleFields;
        var (previous, now) = (format.Instant(sample["previous_meeting_at"].Instant!.Value), format.Instant(sample["meeting_at"].Instant!.Value));
        Assert.NotEqual(previous, now);

        var given = Render(NotificationKind.MeetingMovedNotice, language);
        Assert.Equal(subject + now, given.Subject);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, fromTo, previous) + now, given.Text, StringComparison.Ordinal);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, fromTo, previous) + $"<strong>{now}</strong>", given.Html, StringComparison.Ordinal);
        foreach (var body in new[] { given.Text, given.Html })
        {
            Assert.Contains("(Pilot results)", body, StringComparison.Ordinal);
            Assert.Contains(location, body, StringComparison.Ordinal);
            Assert.Contains(updated, body, StringComparison.Ordinal);
        }

        var bare = Render(NotificationKind.MeetingMovedNotice, language, ("meeting_subject", TemplateValue.OfText(string.Empty)), ("meeting_location", TemplateValue.OfText(string.Empty)));
        Assert.DoesNotContain("()", bare.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(location, bare.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(" ,", bare.Text, StringComparison.Ordinal);
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, fromTo, previous) + now, bare.Text, StringComparison.Ordinal);
    }
}
