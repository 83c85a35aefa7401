using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>Issue 14's texts say what is true: no discount is not "a 0 % discount", a reminder on the day says "today", the head's decision is named as it is.</summary>
public sealed class ComplaintAndPriceFloorTemplateTests
{
    private static RenderedEmail Render(NotificationKind kind, string language, params (string Key, TemplateValue Value)[] changes) =>
        EmailTestKit.RenderSample(kind, language, changes);

    [Theory]
    [InlineData("en", "discount")]
    [InlineData("ru", "скидк")]
    [InlineData("fi", "alennus")]
    [InlineData("bg", "отстъпка")]
    public void PriceApproval_WithoutADiscount_SaysNothingAboutOne(string language, string word)
    {
        Assert.Contains(word, Render(NotificationKind.ProposalPriceApprovalRequired, language).Text, StringComparison.Ordinal);
        Assert.DoesNotContain(word, Render(NotificationKind.ProposalPriceApprovalRequired, language, ("discount_percent", TemplateValue.OfNumber(0))).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "declined", "the head declined it")]
    [InlineData("en", "requested", "still unanswered")]
    [InlineData("en", "not_requested", "no approval was requested")]
    [InlineData("ru", "declined", "руководитель её отклонил")]
    [InlineData("fi", "requested", "ei ole vielä vastattu")]
    [InlineData("bg", "not_requested", "не е поискано одобрение")]
    public void SentUnderFloor_NamesTheHeadsDecisionAsItIs(string language, string state, string phrase) =>
        Assert.Contains(phrase, Render(NotificationKind.ProposalSentUnderFloor, language, ("approval_state", TemplateValue.OfText(state))).Text, StringComparison.Ordinal);

    [Theory]
    [InlineData("en", 0, "is due today")]
    [InlineData("en", 1, "1 business day to resolve")]
    [InlineData("en", 2, "2 business days to resolve")]
    [InlineData("ru", 1, "до срока 1 рабочий день")]
    [InlineData("ru", 2, "до срока 2 рабочих дня")]
    [InlineData("ru", 5, "до срока 5 рабочих дней")]
    [InlineData("ru", 21, "до срока 21 рабочий день")]
    [InlineData("fi", 1, "1 työpäivä ratkaisuun")]
    [InlineData("fi", 5, "5 työpäivää ratkaisuun")]
    [InlineData("bg", 1, "остава 1 работен ден")]
    [InlineData("bg", 2, "остават 2 работни дни")]
    [InlineData("bg", 0, "трябва да бъде решена днес")]
    public void ComplaintReminder_CountsTheDaysInTheLanguagesGrammar(string language, int days, string subject) =>
        Assert.Contains(subject, Render(NotificationKind.ComplaintResolutionReminder, language, ("business_days_left", TemplateValue.OfNumber(days))).Subject, StringComparison.Ordinal);

    [Theory]
    [InlineData("en")]
    [InlineData("ru")]
    [InlineData("fi")]
    [InlineData("bg")]
    public void Complaint_WithoutSummaryOrResolution_NoEmptyColonOrParentheses(string language)
    {
        var received = Render(NotificationKind.ComplaintReceived, language, ("complaint_summary", TemplateValue.OfText(string.Empty))).Text;
        var followUp = Render(NotificationKind.ComplaintFollowUp, language, ("complaint_summary", TemplateValue.OfText(string.Empty)), ("resolution", TemplateValue.OfText(string.Empty))).Text;
        foreach (var text in new[] { received, followUp })
        {
            Assert.DoesNotContain(": .", text, StringComparison.Ordinal);
            Assert.DoesNotContain("()", text, StringComparison.Ordinal);
            Assert.DoesNotContain(" .", text, StringComparison.Ordinal);
        }

        Assert.Contains("Two units report wrong mileage", Render(NotificationKind.ComplaintReceived, language).Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(NotificationKind.ProposalPriceApprovalRequired, "en", "in another currency than the price floor")]
    [InlineData(NotificationKind.ProposalSentUnderFloor, "en", "in another currency than the price floor")]
    [InlineData(NotificationKind.ProposalPriceApprovalRequired, "ru", "в другой валюте")]
    [InlineData(NotificationKind.ProposalSentUnderFloor, "fi", "eri valuutassa")]
    [InlineData(NotificationKind.ProposalSentUnderFloor, "bg", "в друга валута")]
    public void PriceInAnotherCurrency_IsNotCalledUnderTheFloor(NotificationKind kind, string language, string phrase)
    {
        var other = Render(kind, language, ("floor_check", TemplateValue.OfText("other_currency")));
        Assert.Contains(phrase, other.Subject, StringComparison.Ordinal);
        Assert.DoesNotContain(phrase, Render(kind, language).Subject, StringComparison.Ordinal);
    }
}
