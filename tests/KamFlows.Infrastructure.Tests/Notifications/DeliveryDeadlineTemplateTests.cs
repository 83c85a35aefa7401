using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>The delivery team's deadline in the KAM's language: days counted by the language's grammar, the team lead named when known, and nothing made up when not.</summary>
public sealed class DeliveryDeadlineTemplateTests
{
    private static readonly NotificationKind[] Kinds = [NotificationKind.DeliveryDeadlineApproaching, NotificationKind.DeliveryOverdue, NotificationKind.DeliveryDeadlineMoved];

    private static RenderedEmail Render(NotificationKind kind, string language, params (string Key, TemplateValue Value)[] changes) =>
        EmailTestKit.RenderSample(kind, language, changes);

    [Theory]
    [InlineData("en", 1, "is due in 1 business day")]
    [InlineData("en", 5, "is due in 5 business days")]
    [InlineData("ru", 1, "до срока 1 рабочий день")]
    [InlineData("ru", 2, "до срока 2 рабочих дня")]
    [InlineData("ru", 5, "до срока 5 рабочих дней")]
    [InlineData("ru", 21, "до срока 21 рабочий день")]
    [InlineData("fi", 1, "1 työpäivä määräaikaan")]
    [InlineData("fi", 5, "5 työpäivää määräaikaan")]
    [InlineData("bg", 1, "до срока остава 1 работен ден")]
    [InlineData("bg", 5, "до срока остават 5 работни дни")]
    public void DeadlineApproaching_CountsTheDaysInTheLanguagesGrammar(string language, int days, string subject) =>
        Assert.Contains(subject, Render(NotificationKind.DeliveryDeadlineApproaching, language, ("business_days_left", TemplateValue.OfNumber(days))).Subject, StringComparison.Ordinal);

    [Theory]
    [InlineData("en", 1, "within 1 business day, your head will be told")]
    [InlineData("en", 3, "within 3 business days, your head will be told")]
    [InlineData("ru", 1, "в течение 1 рабочего дня")]
    [InlineData("ru", 3, "в течение 3 рабочих дней")]
    [InlineData("ru", 21, "в течение 21 рабочего дня")]
    [InlineData("fi", 3, "3 työpäivän kuluessa")]
    [InlineData("bg", 1, "в рамките на 1 работен ден")]
    [InlineData("bg", 3, "в рамките на 3 работни дни")]
    public void Overdue_SaysWhenTheHeadWillBeTold(string language, int days, string phrase) =>
        Assert.Contains(phrase, Render(NotificationKind.DeliveryOverdue, language, ("escalate_after_business_days", TemplateValue.OfNumber(days))).Text, StringComparison.Ordinal);

    [Theory]
    [InlineData("en", "the team lead, Jukka Mäkinen, jukka.makinen@supplier.example,", "the delivery team")]
    [InlineData("ru", "у руководителя поставки (Jukka Mäkinen, jukka.makinen@supplier.example)", "у команды поставки")]
    [InlineData("fi", "toimitustiimin vetäjältä (Jukka Mäkinen, jukka.makinen@supplier.example)", "toimitustiimiltä")]
    [InlineData("bg", "с ръководителя на екипа по доставката (Jukka Mäkinen, jukka.makinen@supplier.example)", "с екипа по доставката")]
    public void DeadlineApproaching_NamesTheTeamLeadWhenKnown_ElseTheTeam(string language, string withLead, string withoutLead)
    {
        var named = Render(NotificationKind.DeliveryDeadlineApproaching, language).Text;
        Assert.Contains(withLead, named, StringComparison.Ordinal);

        var unnamed = Render(NotificationKind.DeliveryDeadlineApproaching, language, ("team_lead_name", TemplateValue.OfText(string.Empty)), ("team_lead_email", TemplateValue.OfText(string.Empty))).Text;
        Assert.Contains(withoutLead, unnamed, StringComparison.Ordinal);
        Assert.DoesNotContain("()", unnamed, StringComparison.Ordinal);
        Assert.DoesNotContain("Jukka", unnamed, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("fi")]
    [InlineData("bg")]
    public void EveryDeliveryText_WithoutDescriptionOrTeamLead_NamesTheDeliveryByItsIdAndLeavesNoEmptyQuotes(string language)
    {
        foreach (var kind in Kinds)
        {
            var email = Render(kind, language, ("delivery_description", TemplateValue.OfText(string.Empty)), ("team_lead_name", TemplateValue.OfText(string.Empty)),
                ("team_lead_email", TemplateValue.OfText(string.Empty)));
            Assert.Contains("D-5", email.Text, StringComparison.Ordinal);
            foreach (var empty in new[] { "\"\"", "«»", "””", "„“", "()", ", ," })
            {
                Assert.DoesNotContain(empty, email.Subject + email.Text, StringComparison.Ordinal);
            }
        }
    }

    [Theory]
    [InlineData("en", "moved from 13 May 2026 to 20 May 2026")]
    [InlineData("ru", "перенесён с 13 мая 2026 на 20 мая 2026")]
    [InlineData("fi", "siirtyi päivästä 13. toukokuuta 2026 päivään 20. toukokuuta 2026")]
    [InlineData("bg", "преместен от 13 май 2026 на 20 май 2026")]
    public void DeadlineMoved_SaysFromAndTo(string language, string phrase) =>
        Assert.Contains(phrase, Render(NotificationKind.DeliveryDeadlineMoved, language).Subject, StringComparison.Ordinal);
}
