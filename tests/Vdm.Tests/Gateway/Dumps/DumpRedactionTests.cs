using Vdm.Gateway.Dumps;

namespace Vdm.Tests.Gateway.Dumps;

public class DumpRedactionTests
{
    [Test]
    [Arguments("Authorization", true)]
    [Arguments("x-api-key", true)]
    [Arguments("api-key", true)]
    [Arguments("x-goog-api-key", true)]
    [Arguments("x-vdm-proxy-key", true)]
    [Arguments("Cookie", true)]
    [Arguments("X-Team-Token", true)]
    [Arguments("content-type", false)]
    [Arguments("anthropic-version", false)]
    [Arguments("x-vdm-request-id", false)]
    public async Task IsSecretName_CredentialHeaderNames(string name, bool secret)
    {
        await Assert.That(DumpRedaction.IsSecretName(name)).IsEqualTo(secret);
    }

    [Test]
    public async Task Header_SecretValue_IsMaskedAndThenScrubbedEverywhereElse()
    {
        var redaction = new DumpRedaction([]);

        var shown = redaction.Header("Authorization", "Bearer sk-client-own-key-123");
        var body = redaction.Scrub("the key sk-client-own-key-123 echoed in a body");

        await Assert.That(shown).IsEqualTo("[redacted]");
        await Assert.That(body).IsEqualTo("the key [redacted] echoed in a body");
    }

    [Test]
    public async Task Url_CredentialQueryParameters_AreMaskedOthersKept()
    {
        var redaction = new DumpRedaction([]);

        var url = redaction.Url(new Uri("https://example.com/v1/models/x:generate?key=AIza-secret-value&api-version=2024-10-21&sig=abcdefgh12345"));

        await Assert.That(url).IsEqualTo("https://example.com/v1/models/x:generate?key=[redacted]&api-version=2024-10-21&sig=[redacted]");
        await Assert.That(redaction.Scrub("AIza-secret-value")).IsEqualTo("[redacted]");
    }

    [Test]
    [Arguments("", "")]
    [Arguments("?beta=true", "?beta=true")]
    [Arguments("?beta=true&api_key=sk-in-the-query-123", "?beta=true&api_key=[redacted]")]
    public async Task Query_ClientQueryString_MasksCredentialParameters(string query, string shown)
    {
        await Assert.That(new DumpRedaction([]).Query(query)).IsEqualTo(shown);
    }

    [Test]
    public async Task Scrub_KnownKeys_LongestFirstSoNoTailIsLeft()
    {
        var redaction = new DumpRedaction(["sk-abcdefgh", "sk-abcdefgh-longer", null, "short"]);

        await Assert.That(redaction.Scrub("a sk-abcdefgh-longer b sk-abcdefgh c short")).IsEqualTo("a [redacted] b [redacted] c short");
    }
}
