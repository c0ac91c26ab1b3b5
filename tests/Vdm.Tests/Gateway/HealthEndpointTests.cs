using System.Net;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway;

public class HealthEndpointTests
{
    [Test]
    public async Task Get_ConfiguredProviders_ReturnsTheDocumentedJson()
    {
        var settings = TestVariables.Settings(
            ("OPENAI_API_KEY", "sk-one sk-two"),
            ("ANTHROPIC_API_KEY", "!PASSTHRU"),
            ("OLLAMA_API_KEY", ""),
            ("VDM_DEFAULT_PROVIDER", "openai"));
        await using var gateway = await RunningGateway.StartAsync(settings);

        using var response = await gateway.Client.GetAsync(new Uri("/health", UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("application/json");
        await Assert.That(body).IsEqualTo(
            "{\"status\":\"healthy\",\"version\":\"" + Vdm.Gateway.VdmVersion.Current + "\",\"default_provider\":\"openai\",\"providers\":[" +
            "{\"name\":\"anthropic\",\"api_format\":\"anthropic\",\"base_url\":\"https://api.anthropic.com\",\"auth_mode\":\"passthrough\",\"api_key_hashes\":[]}," +
            "{\"name\":\"ollama\",\"api_format\":\"openai\",\"base_url\":\"http://localhost:11434/v1\",\"auth_mode\":\"none\",\"api_key_hashes\":[]}," +
            "{\"name\":\"openai\",\"api_format\":\"openai\",\"base_url\":\"https://api.openai.com/v1\",\"auth_mode\":\"static\",\"api_key_hashes\":[\"" +
            Vdm.Gateway.Configuration.KeyFingerprint.Of("sk-one") + "\",\"" + Vdm.Gateway.Configuration.KeyFingerprint.Of("sk-two") + "\"]}]}");
        await Assert.That(body).DoesNotContain("sk-one");
    }

    [Test]
    public async Task Get_NoProviders_IsStillHealthyWithANullDefault()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());

        var body = await gateway.Client.GetStringAsync(new Uri("/health", UriKind.Relative));

        await Assert.That(body).Contains("\"default_provider\":null,\"providers\":[]");
    }

    [Test]
    public async Task Get_DoesNotCache()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());

        using var response = await gateway.Client.GetAsync(new Uri("/health", UriKind.Relative));

        await Assert.That(response.Headers.CacheControl?.NoCache).IsTrue();
    }

    [Test]
    public async Task Head_AnswersOkWithoutABody()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());

        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri("/health", UriKind.Relative));
        using var response = await gateway.Client.SendAsync(request);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That((await response.Content.ReadAsByteArrayAsync()).Length).IsEqualTo(0);
    }
}
