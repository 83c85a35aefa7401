using System.Text;
using System.Text.Json.Nodes;
using KamFlows.Infrastructure.Notifications;
using KamFlows.Infrastructure.Notifications.Senders;
using KamFlows.Workflows.Notifications;
using MimeKit;

namespace KamFlows.Infrastructure.Tests.Notifications;

/// <summary>Messages built with MimeKit: display names stay names whatever they contain, and the .eml and SendGrid carry the same headers.</summary>
public sealed class EmailMimeTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("kamflows-mime-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Theory]
    [InlineData("Kaisa <i>Kam</i>", "To: \"Kaisa <i>Kam</i>\" <kam@supplier.example>")]
    [InlineData("Doe, John", "To: \"Doe, John\" <kam@supplier.example>")]
    [InlineData("Anna \"AV\" Virtanen", "To: \"Anna \\\"AV\\\" Virtanen\" <kam@supplier.example>")]
    [InlineData("Anna Virtanen", "To: Anna Virtanen <kam@supplier.example>")]
    public async Task Eml_DisplayNameWithSpecials_QuotedAndReadBackAsTheName(string name, string expectedHeader)
    {
        var eml = await SinkAsync(Message(name));
        var text = Encoding.ASCII.GetString(eml);
        var parsed = MimeMessage.Load(new MemoryStream(eml));

        Assert.Contains(expectedHeader + "\r\n", text, StringComparison.Ordinal);
        var to = Assert.IsType<MailboxAddress>(Assert.Single(parsed.To));
        Assert.Equal(name, to.Name);
        Assert.Equal("kam@supplier.example", to.Address);
    }

    [Theory]
    [InlineData("Мария Иванова <КАМ>")]
    [InlineData("Mikko Äijälä")]
    [InlineData("Калина Петрова-Димитрова, ръководител на ключови клиенти в София")]
    public async Task Eml_NonAsciiDisplayName_EncodedWordsOnlyAsciiOnTheWireAndReadBack(string name)
    {
        var eml = await SinkAsync(Message(name, subject: "Напоминание: предложение P-1001 <срочно>"));
        var headers = Encoding.UTF8.GetString(eml).Split("\r\n\r\n")[0];
        var parsed = MimeMessage.Load(new MemoryStream(eml));

        Assert.True(headers.All(char.IsAscii), headers);
        Assert.Contains("=?", headers, StringComparison.Ordinal);
        Assert.Equal(name, Assert.IsType<MailboxAddress>(Assert.Single(parsed.To)).Name);
        Assert.Equal("Напоминание: предложение P-1001 <срочно>", parsed.Subject);
        Assert.All(headers.Split("\r\n"), line => Assert.True(line.Length <= 998, $"header line of {line.Length} characters"));
    }

    [Fact]
    public async Task EmlAndSendGrid_SameMessage_CarryTheSameHeadersAndAddresses()
    {
        var options = Options();
        var message = Message("Kaisa <i>Kam</i>") with { UnsubscribeUrl = new Uri("https://kamflows.supplier.example/api/unsubscribe/abc.def") };
        var parsed = MimeMessage.Load(new MemoryStream(await SinkAsync(message, options)));
        var sendGrid = JsonNode.Parse(new SendGridEmailSender(SendGridHttp.CreateClient(), options).Build(message).Serialize())!;

        var sgHeaders = sendGrid["headers"]!.AsObject().ToDictionary(p => p.Key, p => (string?)p.Value, StringComparer.OrdinalIgnoreCase);
        var expected = EmailHeaders.For(message);
        Assert.Equal(expected.Select(h => h.Key).Order(StringComparer.Ordinal), sgHeaders.Keys.Order(StringComparer.Ordinal));
        Assert.Contains("List-Unsubscribe", sgHeaders.Keys);
        Assert.Contains("X-KamFlows-NotificationId", sgHeaders.Keys);
        foreach (var (name, value) in expected)
        {
            Assert.Equal(value, sgHeaders[name]);
            Assert.Equal(value, parsed.Headers[name]);
        }

        var to = sendGrid["personalizations"]![0]!["to"]![0]!;
        Assert.Equal(((string?)to["email"], (string?)to["name"]), (parsed.To.Mailboxes.Single().Address, parsed.To.Mailboxes.Single().Name));
        Assert.Equal(((string?)sendGrid["from"]!["email"], (string?)sendGrid["from"]!["name"]), (parsed.From.Mailboxes.Single().Address, parsed.From.Mailboxes.Single().Name));
        Assert.Equal((string?)sendGrid["reply_to"]!["email"], parsed.ReplyTo.Mailboxes.Single().Address);
        Assert.Equal((string?)(sendGrid["subject"] ?? sendGrid["personalizations"]![0]!["subject"]), parsed.Subject);
    }

    [Fact]
    public void Eml_SameNotification_SameBytesButTheDate()
    {
        var a = Encoding.ASCII.GetString(EmailMime.Write(Message("Anna"), "k@s.example", "KamFlows", null, DateTimeOffset.UnixEpoch));
        var b = Encoding.ASCII.GetString(EmailMime.Write(Message("Anna"), "k@s.example", "KamFlows", null, DateTimeOffset.UnixEpoch));

        Assert.Equal(a, b);
        Assert.Contains("Message-Id: <", a, StringComparison.OrdinalIgnoreCase);
    }

    private static EmailOptions Options() => new()
    {
        FromAddress = "kamflows@supplier.example",
        FromName = "KamFlows <Bot>",
        ReplyTo = "kam-team@supplier.example",
        SendGridApiKey = "test-sendgrid-api-key",
    };

    private static EmailMessage Message(string toName, string subject = "Proposal P-1001: call to confirm receipt") => new()
    {
        NotificationId = "proposal:P-1001|ProposalCallToConfirmReceipt|v1",
        Kind = NotificationKind.ProposalCallToConfirmReceipt,
        ToEmail = "kam@supplier.example",
        ToName = toName,
        Subject = subject,
        Html = "<p>Call <b>Acme</b></p>",
        Text = "Call Acme",
        Categories = ["ProposalCallToConfirmReceipt", "kamflows"],
        TraceIds = new Dictionary<string, string> { ["notification_id"] = "proposal:P-1001|ProposalCallToConfirmReceipt|v1", ["account_id"] = "ACME" },
    };

    private async Task<byte[]> SinkAsync(EmailMessage message, EmailOptions? options = null)
    {
        var sink = new LocalSinkEmailSender(_folder, options ?? Options(), TimeProvider.System);
        Assert.IsType<SendOutcome.Accepted>(await sink.SendAsync(message, default));
        var path = sink.PathFor(message.NotificationId);
        var bytes = await File.ReadAllBytesAsync(path);
        File.Delete(path);
        return bytes;
    }
}
