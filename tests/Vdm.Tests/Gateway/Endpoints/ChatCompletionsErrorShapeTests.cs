using System.Net;
using System.Text;
using System.Text.Json;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>Errors raised before the endpoint (authentication) are in OpenAI's shape on the OpenAI endpoint too.</summary>
public class ChatCompletionsErrorShapeTests
{
    [Test]
    public async Task MissingProxyKey_OnTheOpenAIEndpoint_IsAnOpenAIShaped401()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k"), ("PROXY_API_KEY", "secret")));

        using var response = await gateway.Client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative),
            new StringContent("""{"model":"gpt-4o","messages":[]}""", Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(body.RootElement.TryGetProperty("type", out _)).IsFalse();
        await Assert.That(body.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("authentication_error");
    }

    [Test]
    public async Task MissingProxyKey_OnTheAnthropicEndpoint_StaysAnthropicShaped()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k"), ("PROXY_API_KEY", "secret")));

        using var response = await gateway.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative),
            new StringContent("""{"model":"gpt-4o","messages":[]}""", Encoding.UTF8, "application/json"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That(body.RootElement.GetProperty("type").GetString()).IsEqualTo("error");
    }
}
