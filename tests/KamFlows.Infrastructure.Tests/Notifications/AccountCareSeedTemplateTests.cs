using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>The seed rules' texts: a new KAM's briefing in the KAM's words, saying so where a section has no data; the cross-sell prompt names what it follows.</summary>
public sealed class AccountCareSeedTemplateTests
{
    private static RenderedEmail Render(NotificationKind kind, string language, params (string Key, TemplateValue Value)[] changes) =>
        EmailTestKit.RenderSample(kind, language, changes);

    private static readonly (string, TemplateValue)[] Empty =
    [
        ("history", TemplateValue.OfTable([])), ("dmu", TemplateValue.OfTable([])), ("open_opportunities", TemplateValue.OfList([])),
        ("open_complaints", TemplateValue.OfList([])), ("contracts", TemplateValue.OfTable([])), ("upcoming", TemplateValue.OfTable([])),
    ];

    [Theory]
    [InlineData("en", "Mikko Laine: executive, supporter, high influence", "proposal sent P-1001", "reminder: contract renewal C-3", "Pekka Niemi")]
    [InlineData("fi", "Mikko Laine: johto, tukija, suuri vaikutusvalta", "tarjous lähetetty P-1001", "muistutus: sopimuksen uusiminen C-3", "C-3, päättyy 30. syyskuuta 2026")]
    [InlineData("ru", "Mikko Laine: руководитель, сторонник, влияние высокое", "КП отправлено P-1001", "напоминание: продление договора C-3", "Открытые жалобы: K-2")]
    [InlineData("bg", "Mikko Laine: ", "изпратена оферта P-1001", "напомняне: подновяване на договор C-3", "Отворени сделки: O-9")]
    public void HandoverBriefing_HistoryDmuAndOpenItems_InTheKamsLanguage(string language, params string[] phrases)
    {
        var text = Render(NotificationKind.AccountHandoverBriefing, language).Text;
        Assert.All(phrases, p => Assert.Contains(p, text, StringComparison.Ordinal));
        Assert.DoesNotContain("kam.", text, StringComparison.Ordinal); // Event types are named in words, never as codes.
    }

    [Theory]
    [InlineData("en", "No events or messages are on record.", "No decision makers are mapped yet", "Open complaints: none", "Nothing is planned in the next 90 days")]
    [InlineData("fi", "Asiakkaasta ei ole kirjattu tapahtumia eikä viestejä.", "Päättäjiä ei ole vielä kartoitettu", "Avoimet reklamaatiot: ei yhtään", "Seuraavalle 90 päivälle ei ole suunniteltu mitään")]
    [InlineData("ru", "Событий и сообщений по клиенту пока нет.", "Центр принятия решений ещё не описан", "Открытые жалобы: нет", "На ближайшие 90 дней ничего не запланировано")]
    [InlineData("bg", "Няма записани събития и съобщения за клиента.", "Вземащите решения още не са описани", "Отворени рекламации: няма", "За следващите 90 дни няма нищо планирано")]
    public void HandoverBriefing_SectionsWithoutData_SaySo(string language, params string[] phrases)
    {
        var text = Render(NotificationKind.AccountHandoverBriefing, language, Empty).Text;
        Assert.All(phrases, p => Assert.Contains(p, text, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("en", "contract C-3 signed on", "delivery D-5 (Fleet maintenance, phase 1) completed on", "other branches, divisions and subsidiaries")]
    [InlineData("ru", "договор C-3 подписан", "поставка D-5 (Fleet maintenance, phase 1) завершена", "филиалам, подразделениям и дочерним компаниям")]
    [InlineData("fi", "sopimus C-3 allekirjoitettiin", "toimitus D-5 (Fleet maintenance, phase 1) valmistui", "muut toimipisteet, yksiköt ja tytäryhtiöt")]
    [InlineData("bg", "договор C-3, подписан на", "доставка D-5 (Fleet maintenance, phase 1), завършена на", "клонове, подразделения и дъщерни дружества")]
    public void CrossSellPrompt_NamesTheContractAndTheDelivery_AndWhatToOffer(string language, params string[] phrases)
    {
        var text = Render(NotificationKind.CrossSellPrompt, language).Text;
        Assert.All(phrases, p => Assert.Contains(p, text, StringComparison.Ordinal));
    }
}
