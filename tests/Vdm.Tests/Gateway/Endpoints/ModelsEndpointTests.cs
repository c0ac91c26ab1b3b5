using System.Net;
using System.Text.Json;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>GET /v1/models through the real server: aliases, providers' own lists, both shapes, the cache.</summary>
public class ModelsEndpointTests
{
    private const string OpenAIList = """{"object":"list","data":[{"id":"gpt-4o","object":"model","created":1715367049,"owned_by":"system"},{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"openai"}]}""";
    private const string AnthropicList = """{"data":[{"type":"model","id":"claude-sonnet-4-5","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"}],"has_more":false,"first_id":"claude-sonnet-4-5","last_id":"claude-sonnet-4-5"}""";

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(RunningGateway gateway, string path, bool anthropicVersion = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (anthropicVersion)
        {
            request.Headers.Add("anthropic-version", "2023-06-01");
        }

        using var response = await gateway.Client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static Vdm.Gateway.Configuration.GatewaySettings WithAliases(string baseUrl) => TestVariables.Settings(
        ("OPENAI_API_KEY", "sk-openai"),
        ("OPENAI_BASE_URL", baseUrl),
        ("VDM_ALIAS_FAST", "openai:gpt-4o-mini"),
        ("OPENAI_ALIAS_BIG", "gpt-4o"));

    [Test]
    public async Task HandleAsync_NoProvider_ListsAliasesAndTheirTargetsInOpenAIShape()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await RunningGateway.StartAsync(WithAliases(upstream.BaseUrl("/v1")));

        var (status, body) = await GetAsync(gateway, "/v1/models");

        await Assert.That(status).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(body).IsEqualTo(
            """{"object":"list","data":[""" +
            """{"id":"fast","object":"model","created":0,"owned_by":"vdm"},""" +
            """{"id":"openai:big","object":"model","created":0,"owned_by":"vdm"},""" +
            """{"id":"openai:gpt-4o-mini","object":"model","created":0,"owned_by":"openai"},""" +
            """{"id":"openai:gpt-4o","object":"model","created":0,"owned_by":"openai"}]}""");
        await Assert.That(upstream.Received).IsEmpty();
    }

    [Test]
    public async Task HandleAsync_AnthropicVersionHeader_AnswersInAnthropicShape()
    {
        await using var gateway = await RunningGateway.StartAsync(WithAliases("http://127.0.0.1:9/v1"));

        var (status, body) = await GetAsync(gateway, "/v1/models", anthropicVersion: true);
        using var json = JsonDocument.Parse(body);
        var first = json.RootElement.GetProperty("data")[0];

        await Assert.That(status).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(first.GetProperty("type").GetString()).IsEqualTo("model");
        await Assert.That(first.GetProperty("id").GetString()).IsEqualTo("fast");
        await Assert.That(first.GetProperty("display_name").GetString()).IsEqualTo("fast → openai:gpt-4o-mini");
        await Assert.That(first.GetProperty("created_at").GetString()).IsEqualTo("1970-01-01T00:00:00Z");
        await Assert.That(json.RootElement.GetProperty("has_more").GetBoolean()).IsFalse();
        await Assert.That(json.RootElement.GetProperty("first_id").GetString()).IsEqualTo("fast");
        await Assert.That(json.RootElement.GetProperty("last_id").GetString()).IsEqualTo("openai:gpt-4o");
    }

    [Test]
    public async Task HandleAsync_FormatQuery_OverridesTheHeader()
    {
        await using var gateway = await RunningGateway.StartAsync(WithAliases("http://127.0.0.1:9/v1"));

        var (_, openAI) = await GetAsync(gateway, "/v1/models?format=openai", anthropicVersion: true);
        var (_, anthropic) = await GetAsync(gateway, "/v1/models?format=anthropic");
        var (invalidStatus, invalid) = await GetAsync(gateway, "/v1/models?format=xml");

        await Assert.That(openAI).StartsWith("""{"object":"list","data":[""");
        await Assert.That(anthropic).StartsWith("""{"data":[{"type":"model",""");
        await Assert.That(invalidStatus).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(invalid).Contains("invalid_request_error");
    }

    [Test]
    public async Task HandleAsync_OpenAIProvider_FetchesItsListWithItsKey()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(OpenAIList);
        await using var gateway = await RunningGateway.StartAsync(WithAliases(upstream.BaseUrl("/v1")));

        var (status, body) = await GetAsync(gateway, "/v1/models?provider=openai");
        var sent = upstream.Received.Single();

        await Assert.That(status).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(body).IsEqualTo(
            """{"object":"list","data":[{"id":"openai:gpt-4o","object":"model","created":1715367049,"owned_by":"system"},""" +
            """{"id":"openai:gpt-4o-mini","object":"model","created":1721172741,"owned_by":"openai"}]}""");
        await Assert.That(sent.Method).IsEqualTo("GET");
        await Assert.That(sent.Path).IsEqualTo("/v1/models");
        await Assert.That(sent.Header("authorization")).IsEqualTo("Bearer sk-openai");
    }

    [Test]
    public async Task HandleAsync_OpenAIProviderInAnthropicShape_ConvertsTheDates()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(OpenAIList);
        await using var gateway = await RunningGateway.StartAsync(WithAliases(upstream.BaseUrl("/v1")));

        var (_, body) = await GetAsync(gateway, "/v1/models?provider=OpenAI", anthropicVersion: true);

        await Assert.That(body).IsEqualTo(
            """{"data":[{"type":"model","id":"openai:gpt-4o","display_name":"gpt-4o","created_at":"2024-05-10T18:50:49Z"},""" +
            """{"type":"model","id":"openai:gpt-4o-mini","display_name":"gpt-4o-mini","created_at":"2024-07-16T23:32:21Z"}]""" +
            ""","has_more":false,"first_id":"openai:gpt-4o","last_id":"openai:gpt-4o-mini"}""");
    }

    [Test]
    public async Task HandleAsync_AnthropicProvider_FetchesItsListWithApiKeyAndVersion()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(AnthropicList);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("ANTHROPIC_API_KEY", "sk-ant"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl())));

        var (anthropicStatus, anthropic) = await GetAsync(gateway, "/v1/models?provider=anthropic", anthropicVersion: true);
        var (_, openAI) = await GetAsync(gateway, "/v1/models?provider=anthropic&format=openai");
        var sent = upstream.Received.Single();

        await Assert.That(anthropicStatus).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(anthropic).IsEqualTo(
            """{"data":[{"type":"model","id":"anthropic:claude-sonnet-4-5","display_name":"Claude Sonnet 4.5","created_at":"2025-09-29T00:00:00Z"}]""" +
            ""","has_more":false,"first_id":"anthropic:claude-sonnet-4-5","last_id":"anthropic:claude-sonnet-4-5"}""");
        await Assert.That(openAI).IsEqualTo(
            """{"object":"list","data":[{"id":"anthropic:claude-sonnet-4-5","object":"model","created":1759104000,"owned_by":"anthropic"}]}""");
        await Assert.That(sent.Path).IsEqualTo("/v1/models");
        await Assert.That(sent.Query).IsEqualTo("?limit=1000");
        await Assert.That(sent.Header("x-api-key")).IsEqualTo("sk-ant");
        await Assert.That(sent.Header("anthropic-version")).IsEqualTo("2023-06-01");
    }

    [Test]
    public async Task HandleAsync_SecondCall_IsServedFromTheCacheAndRefreshBypassesIt()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(OpenAIList);
        await using var gateway = await RunningGateway.StartAsync(WithAliases(upstream.BaseUrl("/v1")));

        var (_, first) = await GetAsync(gateway, "/v1/models?provider=openai");
        var (_, second) = await GetAsync(gateway, "/v1/models?provider=openai");
        var callsBeforeRefresh = upstream.Received.Count;
        upstream.RespondJson("""{"data":[{"id":"gpt-5"}]}""");
        var (_, refreshed) = await GetAsync(gateway, "/v1/models?provider=openai&refresh=true");
        var (_, afterRefresh) = await GetAsync(gateway, "/v1/models?provider=openai");

        await Assert.That(second).IsEqualTo(first);
        await Assert.That(callsBeforeRefresh).IsEqualTo(1);
        await Assert.That(refreshed).IsEqualTo("""{"object":"list","data":[{"id":"openai:gpt-5","object":"model","created":0,"owned_by":"openai"}]}""");
        await Assert.That(afterRefresh).IsEqualTo(refreshed);
        await Assert.That(upstream.Received.Count).IsEqualTo(2);
    }

    [Test]
    public async Task HandleAsync_UnknownProvider_Is400NamingTheConfiguredOnes()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k"), ("ANTHROPIC_API_KEY", "k")));

        var (status, body) = await GetAsync(gateway, "/v1/models?provider=nope");
        using var error = JsonDocument.Parse(body);

        await Assert.That(status).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(error.RootElement.GetProperty("type").GetString()).IsEqualTo("error");
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("invalid_request_error");
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("message").GetString())
            .IsEqualTo("provider: unknown provider 'nope' (configured providers: anthropic, openai)");
    }

    [Test]
    public async Task HandleAsync_UpstreamFailure_IsMappedAndNotCached()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson("""{"error":{"message":"the model service is down","type":"server_error"}}""", 503);
        await using var gateway = await RunningGateway.StartAsync(WithAliases(upstream.BaseUrl("/v1")));

        var (status, body) = await GetAsync(gateway, "/v1/models?provider=openai");
        using var error = JsonDocument.Parse(body);
        upstream.RespondJson(OpenAIList);
        var (retryStatus, _) = await GetAsync(gateway, "/v1/models?provider=openai");

        await Assert.That((int)status).IsEqualTo(529);
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("overloaded_error");
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("message").GetString()).Contains("the model service is down");
        await Assert.That(retryStatus).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(upstream.Received.Count).IsEqualTo(2);
    }

    [Test]
    public async Task HandleAsync_NotAModelList_Is502()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson("""{"models":["a"]}""");
        await using var gateway = await RunningGateway.StartAsync(WithAliases(upstream.BaseUrl("/v1")));

        var (status, body) = await GetAsync(gateway, "/v1/models?provider=openai");

        await Assert.That(status).IsEqualTo(HttpStatusCode.BadGateway);
        await Assert.That(body).Contains("not a model list");
    }
}
