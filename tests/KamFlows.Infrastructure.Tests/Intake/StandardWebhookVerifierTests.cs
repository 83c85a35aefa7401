using System.Text;
using KamFlows.Infrastructure.Intake.Events;

namespace KamFlows.Infrastructure.Tests.Intake;

/// <summary>The published example of the Standard Webhooks reference libraries (C#, Go, JavaScript, … share it), and tampering with any byte.</summary>
public sealed class StandardWebhookVerifierTests
{
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string MessageId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const string Timestamp = "1614265330";
    private const string Payload = "{\"test\": 2432232314}";
    private const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static readonly DateTimeOffset SignedAt = DateTimeOffset.FromUnixTimeSeconds(1614265330);

    private static readonly StandardWebhookVerifier Verifier = new([Secret]);

    [Fact]
    public void Sign_ReferenceExample_GivesThePublishedSignature() =>
        Assert.Equal(Signature, StandardWebhookVerifier.Sign(StandardWebhookVerifier.KeyOf(Secret), MessageId, 1614265330, Encoding.UTF8.GetBytes(Payload)));

    [Fact]
    public void Verify_ReferenceExample_IsAuthentic() =>
        Assert.Null(Verifier.Verify(MessageId, Timestamp, Signature, Encoding.UTF8.GetBytes(Payload), SignedAt));

    [Fact]
    public void Verify_ReferenceExampleAmongOtherSignatures_IsAuthentic() =>
        Assert.Null(Verifier.Verify(MessageId, Timestamp,
            "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc= " + Signature, Encoding.UTF8.GetBytes(Payload), SignedAt));

    [Fact]
    public void Verify_TheReferenceLibrariesInvalidSignature_IsRefused() =>
        Assert.NotNull(Verifier.Verify(MessageId, Timestamp, "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=", Encoding.UTF8.GetBytes(Payload), SignedAt));

    [Fact]
    public void Verify_AnySingleByteOfBodyChanged_IsRefused()
    {
        var body = Encoding.UTF8.GetBytes(Payload);
        for (var i = 0; i < body.Length; i++)
        {
            foreach (var bit in new byte[] { 0x01, 0x20, 0x80 })
            {
                var changed = (byte[])body.Clone();
                changed[i] ^= bit;
                Assert.NotNull(Verifier.Verify(MessageId, Timestamp, Signature, changed, SignedAt));
            }
        }
    }

    [Theory]
    [InlineData("id")]
    [InlineData("timestamp")]
    [InlineData("signature")]
    public void Verify_AnySingleCharacterOfAHeaderChanged_IsRefused(string header)
    {
        var original = header switch { "id" => MessageId, "timestamp" => Timestamp, _ => Signature };
        for (var i = 0; i < original.Length; i++)
        {
            foreach (var replacement in new[] { 'A', '0', '+', '/', '=', 'z', ',' })
            {
                if (original[i] == replacement)
                {
                    continue;
                }

                var changed = original[..i] + replacement + original[(i + 1)..];
                var verdict = header switch
                {
                    "id" => Verifier.Verify(changed, Timestamp, Signature, Encoding.UTF8.GetBytes(Payload), SignedAt),
                    "timestamp" => Verifier.Verify(MessageId, changed, Signature, Encoding.UTF8.GetBytes(Payload), SignedAt),
                    _ => Verifier.Verify(MessageId, Timestamp, changed, Encoding.UTF8.GetBytes(Payload), SignedAt),
                };
                Assert.True(verdict is not null, $"{header} with character {i} changed to '{replacement}' ({changed}) was accepted");
            }
        }
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public void Verify_TimestampMoreThanFiveMinutesAway_IsRefused(int seconds) =>
        Assert.Contains("5 minutes", Verifier.Verify(MessageId, Timestamp, Signature, Encoding.UTF8.GetBytes(Payload), SignedAt.AddSeconds(-seconds)));

    [Theory]
    [InlineData(-300)]
    [InlineData(300)]
    public void Verify_TimestampWithinFiveMinutes_IsAuthentic(int seconds) =>
        Assert.Null(Verifier.Verify(MessageId, Timestamp, Signature, Encoding.UTF8.GetBytes(Payload), SignedAt.AddSeconds(seconds)));

    [Fact]
    public void Verify_SecondOfTwoActiveSecrets_IsAuthentic()
    {
        var rotating = new StandardWebhookVerifier(["whsec_bmV3LXNlY3JldC1mb3ItdGhlLW5leHQtcXVhcnRlcg==", Secret]);
        Assert.Null(rotating.Verify(MessageId, Timestamp, Signature, Encoding.UTF8.GetBytes(Payload), SignedAt));
    }

    [Theory]
    [InlineData(null, Timestamp, Signature)]
    [InlineData(MessageId, null, Signature)]
    [InlineData(MessageId, Timestamp, null)]
    [InlineData(MessageId, "16142653x0", Signature)]
    [InlineData(MessageId, Timestamp, "g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")]
    public void Verify_MissingOrMalformedHeaders_AreRefused(string? id, string? timestamp, string? signature) =>
        Assert.NotNull(Verifier.Verify(id, timestamp, signature, Encoding.UTF8.GetBytes(Payload), SignedAt));

    [Fact]
    public void KeyOf_NotBase64_Throws() => Assert.Throws<FormatException>(() => StandardWebhookVerifier.KeyOf("whsec_***"));
}
