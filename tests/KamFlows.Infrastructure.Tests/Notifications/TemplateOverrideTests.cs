using KamFlows.Infrastructure.Notifications.Templates;
using KamFlows.Workflows.Notifications;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>An operator's override folder changes templates without a rebuild; a broken template stops start-up naming file and line.</summary>
public sealed class TemplateOverrideTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kamflows-templates-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Override_SameName_ReplacesTheBuiltInTemplate()
    {
        File.WriteAllText(Path.Combine(_folder, "ProposalExpired.en.sbn"), "## subject\nEXPIRED {{ proposal_id }}\n## html\n<p>{{ account_name }}</p>\n## text\n{{ account_name }}\n");

        var templates = NotificationTemplates.Load(_folder);
        var email = templates.Render(NotificationKind.ProposalExpired, NotificationCatalog.For(NotificationKind.ProposalExpired).SampleFields, new LocaleFormat("en", "UTC"), null);
        var finnish = templates.Render(NotificationKind.ProposalExpired, NotificationCatalog.For(NotificationKind.ProposalExpired).SampleFields, new LocaleFormat("fi", "UTC"), null);

        Assert.Equal("EXPIRED P-1001", email.Subject);
        Assert.Contains("<p>Acme Oy</p>", email.Html);
        Assert.Contains("voimassaolo", finnish.Subject); // Other files keep the built-in text.
    }

    [Fact]
    public void Override_SyntaxError_FailsStartUpWithFileAndLine()
    {
        var path = Path.Combine(_folder, "DealStalled.fi.sbn");
        File.WriteAllText(path, "## subject\nKauppa {{ opportunity_name }}\n## html\n<p>ok</p>\n{{ if days_without_progress > 40 }}\n<p>never closed</p>\n## text\nok\n");

        var e = Assert.Throws<TemplateValidationException>(() => NotificationTemplates.Load(_folder));

        var error = Assert.Single(e.Errors);
        Assert.StartsWith(path + "(5,", error);
        Assert.Contains("end", error);
    }

    [Fact]
    public void Override_UnknownVariable_FailsStartUpWithFileLineAndKind()
    {
        var path = Path.Combine(_folder, "ContractRenewal.bg.sbn");
        File.WriteAllText(path, "## subject\nДоговор {{ contract_id }}\n## html\n<p>{{ contract_id }}</p>\n## text\n{{ contract_id }}\n{{ contract_ends }}\n");

        var e = Assert.Throws<TemplateValidationException>(() => NotificationTemplates.Load(_folder));

        Assert.Contains(e.Errors, error => error.StartsWith(path + "(7,", StringComparison.Ordinal) && error.Contains("contract_ends", StringComparison.Ordinal) && error.Contains("ContractRenewal", StringComparison.Ordinal));
    }

    [Fact]
    public void Override_MissingSection_FailsStartUp()
    {
        var path = Path.Combine(_folder, "ReferralRequest.ru.sbn");
        File.WriteAllText(path, "## subject\nПросьба\n## html\n<p>x</p>\n");

        var e = Assert.Throws<TemplateValidationException>(() => NotificationTemplates.Load(_folder));

        Assert.Contains(e.Errors, error => error.StartsWith(path, StringComparison.Ordinal) && error.Contains("## text", StringComparison.Ordinal));
    }

    [Fact]
    public void Override_FileThatReplacesNothing_FailsStartUpRatherThanBeingIgnored()
    {
        File.WriteAllText(Path.Combine(_folder, "ProposalExpired.de.sbn"), "## subject\nx\n## html\nx\n## text\nx\n");

        var e = Assert.Throws<TemplateValidationException>(() => NotificationTemplates.Load(_folder));

        Assert.Contains("ProposalExpired.de.sbn", Assert.Single(e.Errors));
    }

    [Fact]
    public void Override_BrokenTermList_FailsStartUpWithFileAndLine()
    {
        var path = Path.Combine(_folder, "_terms.fi.json");
        File.WriteAllText(path, "{\n  \"stage\": {\n    \"decision\": \"päätös\",\n  }\n  oops\n}\n");

        var e = Assert.Throws<TemplateValidationException>(() => NotificationTemplates.Load(_folder));

        Assert.Contains(e.Errors, error => error.StartsWith(path + "(", StringComparison.Ordinal));
    }
}
