using System.Net;
using System.Text;
using System.Text.Json;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>POST /v1/messages/count_tokens through the real server: forwarded to Anthropic-format providers, estimated for others.</summary>
public class CountTokensEndpointTests
{
    private static Task<HttpResponseMessage> PostAsync(RunningGateway gateway, string body, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/messages/count_tokens?beta=true", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        configure?.Invoke(request);
        return gateway.Client.SendAsync(request);
    }

    private static async Task<int> InputTokensAsync(HttpResponseMessage response)
    {
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return body.RootElement.GetProperty("input_tokens").GetInt32();
    }

    [Test]
    public async Task HandleAsync_AnthropicProvider_ForwardsWithTheModelReplacedAndRelaysTheAnswer()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson("""{"input_tokens":42}""");
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("ANTHROPIC_API_KEY", "sk-ant"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl())));
        const string client = """{"model":"anthropic:claude-x","messages":[{"role":"user","content":"Hi"}],"unknown":{"kept":true}}""";

        using var response = await PostAsync(gateway, client, request => request.Headers.Add("anthropic-beta", "token-counting-2024-11-01"));
        var sent = upstream.Received.Single();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo("""{"input_tokens":42}""");
        await Assert.That(sent.Method).IsEqualTo("POST");
        await Assert.That(sent.Path).IsEqualTo("/v1/messages/count_tokens");
        await Assert.That(sent.BodyText).IsEqualTo(client.Replace("\"anthropic:claude-x\"", "\"claude-x\"", StringComparison.Ordinal));
        await Assert.That(sent.Header("x-api-key")).IsEqualTo("sk-ant");
        await Assert.That(sent.Header("anthropic-version")).IsEqualTo("2023-06-01");
        await Assert.That(sent.Header("anthropic-beta")).IsEqualTo("token-counting-2024-11-01");
    }

    [Test]
    public async Task HandleAsync_AnthropicProviderError_IsRelayedWithItsStatus()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson("""{"type":"error","error":{"type":"not_found_error","message":"model: claude-x"}}""", 404);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, """{"model":"claude-x","messages":[{"role":"user","content":"Hi"}]}""");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("model: claude-x");
        await Assert.That(upstream.Received.Single().Path).IsEqualTo("/v1/messages/count_tokens");
    }

    [Test]
    public async Task HandleAsync_OpenAIProvider_CountsLocallyWithoutCallingIt()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, """{"model":"openai:gpt-4o","system":"Be brief.","messages":[{"role":"user","content":"Hello, world"}]}""");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("application/json");
        await Assert.That(await InputTokensAsync(response)).IsBetween(10, 20);
        await Assert.That(upstream.Received).IsEmpty();
    }

    [Test]
    public async Task HandleAsync_OpenAIProviderWithMoreTextAndTools_CountsMore()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k")));
        const string small = """{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}]}""";
        const string tools = """{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"read_file","description":"Reads a file","input_schema":{"type":"object","properties":{"path":{"type":"string"}}}}]}""";

        using var first = await PostAsync(gateway, small);
        using var second = await PostAsync(gateway, tools);

        await Assert.That(await InputTokensAsync(second)).IsGreaterThan(await InputTokensAsync(first) + 20);
    }

    [Test]
    public async Task HandleAsync_ClaudeCodeFixtureOnOpenAIProvider_IsInTheExpectedRange()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k")));
        var body = RepositoryRoot.ReadFile("tests/Fixtures/claude-code-request.json").Replace("\"MODEL\"", "\"openai:gpt-4o\"", StringComparison.Ordinal);

        using var response = await PostAsync(gateway, body);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await InputTokensAsync(response)).IsBetween(body.Length / 5, body.Length / 2);
    }

    [Test]
    public async Task HandleAsync_UnknownProvider_Is400InAnthropicShape()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k")));

        using var response = await PostAsync(gateway, """{"model":"nope:x","messages":[{"role":"user","content":"Hi"}]}""");
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("invalid_request_error");
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("message").GetString()).Contains("Unknown provider 'nope'");
    }

    [Test]
    public async Task HandleAsync_InvalidJson_Is400()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k")));

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","messages":[""");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
    }
}
