using System.Net;
using System.Text;
using System.Text.Json;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>The routing and alias rules, table-driven, through the real server to two fake providers.</summary>
public class RoutingThroughServerTests
{
    private const string OpenAIAnswer = """{"id":"c","choices":[{"index":0,"message":{"role":"assistant","content":"ok"},"finish_reason":"stop"}]}""";
    private const string AnthropicAnswer = """{"id":"msg_1","type":"message","role":"assistant","content":[]}""";

    [Test]
    [Arguments("openai:gpt-4o", "openai", "gpt-4o")]
    [Arguments("OpenAI:gpt-4o", "openai", "gpt-4o")]
    [Arguments("gpt-4o", "openai", "gpt-4o")]
    [Arguments("anthropic:claude-opus-4-1", "anthropic", "claude-opus-4-1")]
    [Arguments("openai:ft:gpt-4o:org:1", "openai", "ft:gpt-4o:org:1")]
    [Arguments("claude-3-5-haiku-20241022", "openai", "gpt-4o-mini")]
    [Arguments("claude-sonnet-4-5-20250929", "anthropic", "claude-sonnet-4-5")]
    [Arguments("my-FAST_model", "openai", "gpt-4o-mini")]
    [Arguments("!claude-3-5-haiku", "openai", "claude-3-5-haiku")]
    [Arguments("anthropic:tiny", "anthropic", "claude-haiku-4-5")]
    [Arguments("qwen2.5:7b", "openai", "qwen2.5:7b")]
    public async Task Request_ReachesTheProviderAndModelTheRulesName(string requested, string provider, string model)
    {
        await using var openai = await FakeUpstream.StartAsync();
        openai.RespondJson(OpenAIAnswer);
        await using var anthropic = await FakeUpstream.StartAsync();
        anthropic.RespondJson(AnthropicAnswer);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "k1"), ("OPENAI_BASE_URL", openai.BaseUrl("/v1")),
            ("ANTHROPIC_API_KEY", "k2"), ("ANTHROPIC_BASE_URL", anthropic.BaseUrl()),
            ("VDM_DEFAULT_PROVIDER", "openai"),
            ("VDM_ALIAS_HAIKU", "openai:gpt-4o-mini"), ("VDM_ALIAS_SONNET", "anthropic:claude-sonnet-4-5"), ("VDM_ALIAS_FAST", "haiku"),
            ("ANTHROPIC_ALIAS_TINY", "claude-haiku-4-5")));

        using var response = await gateway.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative),
            new StringContent($$"""{"model":"{{requested}}","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"));
        var reached = provider == "openai" ? openai : anthropic;
        var other = provider == "openai" ? anthropic : openai;

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(other.Received).IsEmpty();
        using var sent = JsonDocument.Parse(reached.Received.Single().Body);
        await Assert.That(sent.RootElement.GetProperty("model").GetString()).IsEqualTo(model);
    }

    [Test]
    [Arguments("groq:llama", "Unknown provider 'groq'")]
    [Arguments("gpt-4o", "VDM_DEFAULT_PROVIDER")]
    public async Task Request_ThatCannotBeRouted_Is400SayingWhy(string requested, string expected)
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "k1"), ("POE_API_KEY", "k2")));

        using var response = await gateway.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative),
            new StringContent($$"""{"model":"{{requested}}","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
        var body = await response.Content.ReadAsStringAsync();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(body).Contains("invalid_request_error");
        await Assert.That(body).Contains(expected);
    }

    [Test]
    public async Task StaticKeys_OneSessionStaysOnOneKeyWhileOthersRotate()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(OpenAIAnswer);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "sk-1 sk-2 sk-3"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        for (var i = 0; i < 4; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/messages", UriKind.Relative))
            {
                Content = new StringContent("""{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("x-claude-code-session-id", "session-a");
            using var response = await gateway.Client.SendAsync(request);
        }

        var sessionKeys = upstream.Received.Select(r => r.Header("authorization")).Distinct().ToList();
        while (upstream.Received.TryDequeue(out _))
        {
        }

        for (var i = 0; i < 3; i++)
        {
            using var response = await gateway.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative),
                new StringContent("""{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"));
        }

        var rotated = upstream.Received.Select(r => r.Header("authorization")).Distinct().Count();

        await Assert.That(sessionKeys.Count).IsEqualTo(1);
        await Assert.That(rotated).IsEqualTo(3);
    }
}
