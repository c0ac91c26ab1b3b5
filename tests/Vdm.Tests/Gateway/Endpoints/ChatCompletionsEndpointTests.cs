using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>POST /v1/chat/completions through the real server against a fake OpenAI-format provider on loopback.</summary>
public class ChatCompletionsEndpointTests
{
    private const string Answer = """{"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> PostAsync(RunningGateway gateway, string body, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/chat/completions", UriKind.Relative)) { Content = Json(body) };
        configure?.Invoke(request);
        return gateway.Client.SendAsync(request);
    }

    private static Task<RunningGateway> OpenAIGatewayAsync(FakeUpstream upstream, string key = "sk-static", params (string Name, string Value)[] more) =>
        RunningGateway.StartAsync(TestVariables.Settings([("OPENAI_API_KEY", key), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), .. more]));

    private static async Task<(string? Type, string? Message, string? Code, bool HasParam)> ReadErrorAsync(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = document.RootElement.GetProperty("error");
        return (error.GetProperty("type").GetString(), error.GetProperty("message").GetString(),
            error.GetProperty("code").ValueKind == JsonValueKind.String ? error.GetProperty("code").GetString() : null,
            error.TryGetProperty("param", out var param) && param.ValueKind == JsonValueKind.Null);
    }

    [Test]
    public async Task HandleAsync_JsonRequest_ForwardsTheBodyByteForByteButTheModel()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(Answer);
        await using var gateway = await OpenAIGatewayAsync(upstream);
        const string client = """{ "model" : "openai:gpt-4o",  "messages":[{"role":"user","content":"Hi \u00e9"}], "vendor_extra":{"a":[1,2.50,null]}, "temperature":0.70 }""";

        using var response = await PostAsync(gateway, client);
        var sent = upstream.Received.Single();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("application/json");
        await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo(Answer);
        await Assert.That(sent.Path).IsEqualTo("/v1/chat/completions");
        await Assert.That(sent.Header("authorization")).IsEqualTo("Bearer sk-static");
        await Assert.That(sent.BodyText).IsEqualTo(client.Replace("\"openai:gpt-4o\"", "\"gpt-4o\"", StringComparison.Ordinal));
    }

    [Test]
    public async Task HandleAsync_Stream_IsRelayedByteForByte()
    {
        const string chunks = "data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n"
            + ": keep-alive\n\ndata: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}],\"x_vendor\":1}\n\ndata: [DONE]\n\n";
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondStream(chunks[..17], chunks[17..120], chunks[120..]);
        await using var gateway = await OpenAIGatewayAsync(upstream);
        const string client = """{"model":"gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}""";

        using var response = await PostAsync(gateway, client);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("text/event-stream");
        await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo(chunks);
        await Assert.That(upstream.Received.Single().BodyText).IsEqualTo(client);
        await Assert.That(upstream.Received.Single().Header("accept")).IsEqualTo("text/event-stream");
    }

    [Test]
    public async Task HandleAsync_AliasAndPrefix_RouteLikeMessages()
    {
        await using var openai = await FakeUpstream.StartAsync();
        await using var local = await FakeUpstream.StartAsync();
        openai.RespondJson(Answer);
        local.RespondJson(Answer);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", openai.BaseUrl("/v1")),
            ("LOCAL_API_KEY", ""), ("LOCAL_BASE_URL", local.BaseUrl("/api")), ("VDM_DEFAULT_PROVIDER", "openai"),
            ("VDM_ALIAS_FAST", "local:qwen2.5:7b")));

        using var alias = await PostAsync(gateway, """{"model":"fast","messages":[]}""");
        using var prefixed = await PostAsync(gateway, """{"model":"LOCAL:Llama-3","messages":[]}""");
        using var bare = await PostAsync(gateway, """{"model":"gpt-4o-mini","messages":[]}""");
        var toLocal = local.Received.ToArray();

        await Assert.That(alias.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(prefixed.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(toLocal.Select(r => r.BodyText)).IsEquivalentTo(["""{"model":"qwen2.5:7b","messages":[]}""", """{"model":"Llama-3","messages":[]}"""]);
        await Assert.That(toLocal.All(r => r.Path == "/api/chat/completions" && r.Header("authorization") is null)).IsTrue();
        await Assert.That(bare.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(openai.Received.Single().BodyText).IsEqualTo("""{"model":"gpt-4o-mini","messages":[]}""");
    }

    [Test]
    public async Task HandleAsync_PassthroughProvider_ForwardsTheClientKeyAsBearer()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(Answer);
        await using var gateway = await OpenAIGatewayAsync(upstream, "!PASSTHRU", ("PROXY_API_KEY", "proxy-secret"));

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","messages":[]}""", request =>
        {
            request.Headers.Add("x-vdm-proxy-key", "proxy-secret");
            request.Headers.Add("x-api-key", "sk-client-own");
        });
        var sent = upstream.Received.Single();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(sent.Header("authorization")).IsEqualTo("Bearer sk-client-own");
        await Assert.That(sent.Header("x-api-key")).IsNull();
        await Assert.That(sent.Header("x-vdm-proxy-key")).IsNull();
    }

    [Test]
    public async Task HandleAsync_PassthroughWithoutAClientKey_Is401InOpenAIShape()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await OpenAIGatewayAsync(upstream, "!PASSTHRU");

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","messages":[]}""");
        var error = await ReadErrorAsync(response);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(error.Type).IsEqualTo("authentication_error");
        await Assert.That(error.Message).Contains("provider 'openai'");
        await Assert.That(upstream.Received).IsEmpty();
    }

    [Test]
    public async Task HandleAsync_ARefusedStaticKey_FailsOverToTheNextAtOnce()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            var bad = context.Request.Headers.Authorization.ToString() == "Bearer sk-bad";
            context.Response.StatusCode = bad ? 401 : 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(bad ? """{"error":{"message":"invalid key","type":"invalid_request_error","code":"invalid_api_key"}}""" : Answer);
        };
        await using var gateway = await OpenAIGatewayAsync(upstream, "sk-bad sk-good");

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","messages":[]}""");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo(Answer);
        await Assert.That(upstream.Received.Select(r => r.Header("authorization") ?? "")).IsEquivalentTo(["Bearer sk-bad", "Bearer sk-good"]);
    }

    [Test]
    public async Task HandleAsync_UpstreamRateLimitForTheClientsKey_IsRelayedAsIsWithRetryAfter()
    {
        const string upstreamError = """{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""";
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(upstreamError, 429, retryAfter: "7");
        await using var gateway = await OpenAIGatewayAsync(upstream, "!PASSTHRU");

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","messages":[]}""", request => request.Headers.Add("Authorization", "Bearer sk-own"));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.TooManyRequests);
        await Assert.That(response.Headers.RetryAfter?.Delta).IsEqualTo(TimeSpan.FromSeconds(7));
        await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo(upstreamError);
    }

    [Test]
    public async Task HandleAsync_UpstreamRateLimitOnEveryStaticKey_Is429InOpenAIShapeBlamingTheGatewaysKeys()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson("""{"error":{"message":"slow down","type":"rate_limit_error","code":"rate_limit_exceeded"}}""", 429, retryAfter: "7");
        await using var gateway = await OpenAIGatewayAsync(upstream, "sk-a");

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","messages":[]}""");
        var error = await ReadErrorAsync(response);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.TooManyRequests);
        await Assert.That(response.Headers.RetryAfter?.Delta).IsEqualTo(TimeSpan.FromSeconds(7));
        await Assert.That(error.Type).IsEqualTo("rate_limit_error");
        await Assert.That(error.Code).IsEqualTo("rate_limit_exceeded");
        await Assert.That(error.HasParam).IsTrue();
        await Assert.That(error.Message).StartsWith("the gateway's upstream credentials for provider 'openai' failed (1 key tried");
        await Assert.That(error.Message).EndsWith(": slow down");
    }

    [Test]
    public async Task HandleAsync_UpstreamErrorNotInOpenAIShape_IsMappedToOpenAIShape()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            context.Response.StatusCode = 503;
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync("<html><head><title>503 Service Temporarily Unavailable</title></head><body>nginx</body></html>");
        };
        await using var gateway = await OpenAIGatewayAsync(upstream, "");

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","messages":[]}""");
        var error = await ReadErrorAsync(response);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.ServiceUnavailable);
        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("application/json");
        await Assert.That(error.Type).IsEqualTo("api_error");
        await Assert.That(error.Message).IsEqualTo("503 Service Temporarily Unavailable");
        await Assert.That(error.Code).IsNull();
    }

    [Test]
    public async Task HandleAsync_UnknownProvider_Is400InOpenAIShape()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await OpenAIGatewayAsync(upstream);

        using var response = await PostAsync(gateway, """{"model":"nosuch:gpt-4o","messages":[]}""");
        var error = await ReadErrorAsync(response);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(error.Type).IsEqualTo("invalid_request_error");
        await Assert.That(error.Message).StartsWith("Unknown provider 'nosuch'");
        await Assert.That(error.HasParam).IsTrue();
        await Assert.That(response.Headers.Contains("x-vdm-request-id")).IsTrue();
        await Assert.That(upstream.Received).IsEmpty();
    }

    [Test]
    public async Task HandleAsync_AnthropicFormatProvider_Is400SayingItComesLater()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl())));

        using var response = await PostAsync(gateway, """{"model":"anthropic:claude-sonnet-4-5","messages":[]}""");
        var error = await ReadErrorAsync(response);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(error.Type).IsEqualTo("invalid_request_error");
        await Assert.That(error.Code).IsEqualTo("unsupported_provider_format");
        await Assert.That(error.Message).Contains("OpenAI-format requests (/v1/chat/completions) to Anthropic-format providers come in a later version");
        await Assert.That(upstream.Received).IsEmpty();
    }

    [Test]
    [Arguments("{not json", "The request body is not valid JSON")]
    [Arguments("[]", "The request body must be a JSON object.")]
    [Arguments("{\"messages\":[]}", "Missing required parameter: 'model'.")]
    [Arguments("{\"model\":\"gpt-4o\",\"messages\":[]} trailing", "The request body is not valid JSON")]
    [Arguments("{\"model\":\"gpt-4o\",\"model\":\"gpt-4o-mini\",\"messages\":[]}", "model: appears more than once.")]
    public async Task HandleAsync_MalformedBody_Is400InOpenAIShape(string body, string message)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await OpenAIGatewayAsync(upstream);

        using var response = await PostAsync(gateway, body);
        var error = await ReadErrorAsync(response);

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(error.Type).IsEqualTo("invalid_request_error");
        await Assert.That(error.Message).StartsWith(message);
        await Assert.That(upstream.Received).IsEmpty();
    }

    [Test]
    [Arguments("max_tokens", "100000", "4096")]
    [Arguments("max_completion_tokens", "9999", "4096")]
    [Arguments("max_tokens", "1000", "1000")]
    public async Task HandleAsync_TokenLimitAboveTheProvidersMaximum_IsLowered(string field, string requested, string sent)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(Answer);
        await using var gateway = await OpenAIGatewayAsync(upstream, "k", ("OPENAI_MAX_TOKENS_LIMIT", "4096"));

        using var response = await PostAsync(gateway, $$"""{"model":"gpt-4o","{{field}}": {{requested}} ,"messages":[]}""");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(upstream.Received.Single().BodyText).IsEqualTo($$"""{"model":"gpt-4o","{{field}}": {{sent}} ,"messages":[]}""");
    }

    [Test]
    public async Task HandleAsync_AzureProvider_UsesTheDeploymentUrlAndApiKeyHeader()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(Answer);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("AZURE_API_KEY", "az-key"), ("AZURE_BASE_URL", upstream.BaseUrl()), ("AZURE_API_VERSION", "2024-10-21"), ("AZURE_CUSTOM_HEADER_X_TEAM", "core")));

        using var response = await PostAsync(gateway, """{"model":"azure:my-gpt4o","messages":[]}""");
        var sent = upstream.Received.Single();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(sent.Path).IsEqualTo("/openai/deployments/my-gpt4o/chat/completions");
        await Assert.That(sent.Query).IsEqualTo("?api-version=2024-10-21");
        await Assert.That(sent.Header("api-key")).IsEqualTo("az-key");
        await Assert.That(sent.Header("x-team")).IsEqualTo("core");
    }

    [Test]
    public async Task HandleAsync_StreamThatBreaksMidway_EndsWithAnOpenAIErrorDataLine()
    {
        const string first = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"},\"finish_reason\":null}]}\n\n";
        var clientSawContent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync(first);
            await context.Response.Body.FlushAsync();
            await clientSawContent.Task;
            context.Abort();
        };
        await using var gateway = await OpenAIGatewayAsync(upstream);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/chat/completions", UriKind.Relative))
        {
            Content = Json("""{"model":"gpt-4o","stream":true,"messages":[]}"""),
        };

        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        Exception? cutOff = null;
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                lines.Add(line);
                if (line.Contains("partial", StringComparison.Ordinal))
                {
                    clientSawContent.TrySetResult();
                }
            }
        }
        catch (IOException exception)
        {
            cutOff = exception;
        }

        var data = lines.Where(line => line.Length > 0).ToArray();
        using var error = JsonDocument.Parse(data[^1]["data: ".Length..]);

        // The error line, then no clean end: a client that reads past in-band errors still sees a failure.
        await Assert.That(cutOff).IsNotNull();
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(data.Length).IsEqualTo(2);
        await Assert.That(data[0]).IsEqualTo(first.TrimEnd('\n'));
        await Assert.That(data[1]).StartsWith("data: {\"error\":");
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("api_error");
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("message").GetString()).StartsWith("the upstream stream of provider 'openai' failed");
    }

    [Test]
    public async Task HandleAsync_ClientLeavesMidStream_CancelsTheUpstreamRequest()
    {
        var upstreamCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"choices\":[]}\n\n");
            await context.Response.Body.FlushAsync();
            context.RequestAborted.Register(() => upstreamCancelled.TrySetResult());
            await upstreamCancelled.Task;
        };
        await using var gateway = await OpenAIGatewayAsync(upstream);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/chat/completions", UriKind.Relative))
        {
            Content = Json("""{"model":"gpt-4o","stream":true,"messages":[]}"""),
        };

        var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[64];
        var read = await stream.ReadAsync(buffer);
        response.Dispose();

        await Assert.That(read).IsGreaterThan(0);
        await Assert.That(upstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10))).ThrowsNothing();
    }
}
