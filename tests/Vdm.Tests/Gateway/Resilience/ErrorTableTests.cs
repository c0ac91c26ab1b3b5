using System.Text.Json;
using Vdm.Tests.TestSupport;
using static Vdm.Tests.Gateway.Resilience.ResilienceGateway;

namespace Vdm.Tests.Gateway.Resilience;

/// <summary>
/// peers.md §3.5 through the server, row by row: an OpenAI-format provider's status becomes Anthropic's status and
/// error type (retries off, so each row is one upstream answer).
/// </summary>
public class ErrorTableTests
{
    [Test]
    [Arguments(400, 400, "invalid_request_error")]
    [Arguments(401, 401, "authentication_error")]
    [Arguments(402, 402, "billing_error")]
    [Arguments(403, 403, "permission_error")]
    [Arguments(404, 404, "not_found_error")]
    [Arguments(413, 413, "request_too_large")]
    [Arguments(429, 429, "rate_limit_error")]
    [Arguments(500, 500, "api_error")]
    [Arguments(502, 502, "api_error")]
    [Arguments(503, 529, "overloaded_error")]
    [Arguments(529, 529, "overloaded_error")]
    [Arguments(504, 504, "timeout_error")]
    public async Task UpstreamStatus_BecomesAnthropicsStatusAndType(int upstreamStatus, int clientStatus, string type)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Json("""{"error":{"message":"it went wrong"}}""", upstreamStatus, ("retry-after", "7"));
        await using var gateway = await RunningGateway.StartAsync(Settings(
            ("OPENAI_API_KEY", "!PASSTHRU"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("MAX_RETRIES", "0")));

        // The client's own key (passthrough), so a 401 or 429 is the upstream's verdict on it rather than a key-ring exhaustion.
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/messages", UriKind.Relative))
        {
            Content = new StringContent(Request, System.Text.Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "sk-client");
        using var response = await gateway.Client.SendAsync(request);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That((int)response.StatusCode).IsEqualTo(clientStatus);
        await Assert.That(body.RootElement.GetProperty("type").GetString()).IsEqualTo("error");
        await Assert.That(body.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo(type);
        await Assert.That(body.RootElement.GetProperty("error").GetProperty("message").GetString()).IsEqualTo("it went wrong");
        await Assert.That(response.Headers.RetryAfter?.Delta).IsEqualTo(TimeSpan.FromSeconds(7));
    }

    [Test]
    public async Task ContextWindowOverflow_IsWordedLikeAnthropic()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.Json(
            """{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 131072 tokens. Please reduce the length of the messages.","type":"invalid_request_error","code":"context_length_exceeded"}}""",
            400);
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, Request);

        await Assert.That((int)response.StatusCode).IsEqualTo(400);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains(
            "\"type\":\"invalid_request_error\",\"message\":\"prompt is too long: 131072 tokens > 128000 maximum\"");
    }
}
