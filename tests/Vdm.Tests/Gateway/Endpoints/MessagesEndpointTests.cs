using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vdm.Tests.Conversion.Streaming;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>POST /v1/messages through the real server against a fake provider on loopback.</summary>
public class MessagesEndpointTests
{
    private const string OpenAIAnswer = """{"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":"assistant","content":"Hello!"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3}}""";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static Task<HttpResponseMessage> PostAsync(RunningGateway gateway, string body, Action<HttpRequestMessage>? configure = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/messages?beta=true", UriKind.Relative)) { Content = Json(body) };
        configure?.Invoke(request);
        return gateway.Client.SendAsync(request);
    }

    [Test]
    public async Task OpenAIProvider_JsonRequest_IsConvertedBothWays()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(OpenAIAnswer);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "sk-static"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, """{"model":"openai:gpt-4o","max_tokens":100,"messages":[{"role":"user","content":"Hi"}]}""");
        var body = await response.Content.ReadAsStringAsync();
        var sent = upstream.Received.Single();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(body).IsEqualTo("""{"id":"chatcmpl-1","type":"message","role":"assistant","model":"openai:gpt-4o","content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":12,"output_tokens":3,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}""");
        await Assert.That(sent.Path).IsEqualTo("/v1/chat/completions");
        await Assert.That(sent.Header("authorization")).IsEqualTo("Bearer sk-static");
        await Assert.That(sent.BodyText).IsEqualTo("""{"model":"gpt-4o","messages":[{"role":"user","content":"Hi"}],"max_completion_tokens":100}""");
    }

    [Test]
    public async Task OpenAIProvider_Stream_IsTranslatedEventByEvent()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondStream(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hel\"},\"finish_reason\":null}]}\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}\n\n",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}\n\ndata: [DONE]\n\n");
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");
        var stream = await response.Content.ReadAsStringAsync();
        var message = AnthropicStreamAccumulator.Replay(stream);

        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("text/event-stream");
        await Assert.That(message.Blocks).IsEquivalentTo(["text: Hello"]);
        await Assert.That(message.StopReason).IsEqualTo("end_turn");
        await Assert.That(upstream.Received.Single().BodyText).Contains("\"stream\":true,\"stream_options\":{\"include_usage\":true}");
    }

    [Test]
    public async Task AnthropicProvider_Passthrough_SendsTheBodyByteForByteButTheModel()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson("""{"id":"msg_1","type":"message","content":[]}""");
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("ANTHROPIC_API_KEY", "sk-ant"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl())));
        const string client = """{ "model" : "anthropic:claude-x", "max_tokens":5, "unknown_field":{"a":[1,2]}, "messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"sig=="}]}] }""";

        using var response = await PostAsync(gateway, client, request =>
        {
            request.Headers.Add("anthropic-version", "2023-06-01");
            request.Headers.Add("anthropic-beta", "interleaved-thinking-2025-05-14");
        });
        var sent = upstream.Received.Single();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo("""{"id":"msg_1","type":"message","content":[]}""");
        await Assert.That(sent.Path).IsEqualTo("/v1/messages");
        await Assert.That(sent.BodyText).IsEqualTo(client.Replace("\"anthropic:claude-x\"", "\"claude-x\"", StringComparison.Ordinal));
        await Assert.That(sent.Header("x-api-key")).IsEqualTo("sk-ant");
        await Assert.That(sent.Header("authorization")).IsNull();
        await Assert.That(sent.Header("anthropic-beta")).IsEqualTo("interleaved-thinking-2025-05-14");
    }

    [Test]
    public async Task AnthropicProvider_Stream_IsRelayedByteForByte()
    {
        const string events = "event: message_start\ndata: {\"type\":\"message_start\"}\n\nevent: ping\ndata: {\"type\":\"ping\"}\n\n: comment kept\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondStream(events[..30], events[30..]);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl())));

        using var response = await PostAsync(gateway, """{"model":"claude-x","max_tokens":5,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""");

        await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo(events);
    }

    [Test]
    public async Task Passthrough_ClientKey_IsForwardedAndTheProxyKeyNever()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(OpenAIAnswer);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "!PASSTHRU"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""", request => request.Headers.Add("x-api-key", "sk-client-own"));

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(upstream.Received.Single().Header("authorization")).IsEqualTo("Bearer sk-client-own");
    }

    [Test]
    public async Task Passthrough_WithoutAClientKey_Is401NamingTheProvider()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "!PASSTHRU"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""");
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("authentication_error");
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("message").GetString()).Contains("provider 'openai'");
        await Assert.That(upstream.Received).IsEmpty();
    }

    [Test]
    public async Task StaticKeys_ARefusedKey_FailsOverToTheNextAtOnce()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            var bad = context.Request.Headers.Authorization.ToString() == "Bearer sk-bad";
            context.Response.StatusCode = bad ? 401 : 200;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(bad ? """{"error":{"message":"invalid key"}}""" : OpenAIAnswer);
        };
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "sk-bad sk-good"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(upstream.Received.Select(r => r.Header("authorization") ?? "")).IsEquivalentTo(["Bearer sk-bad", "Bearer sk-good"]);
    }

    [Test]
    public async Task StaticKeys_AllRefused_GiveTheRealStatusAndSayTheGatewaysKeysFailed()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson("""{"error":{"message":"invalid key"}}""", 401);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "sk-a sk-b"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""");
        var body = await response.Content.ReadAsStringAsync();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(body).Contains("the gateway's upstream credentials for provider 'openai' failed (2 keys tried");
        await Assert.That(body).DoesNotContain("sk-a");
        await Assert.That(upstream.Received.Count).IsEqualTo(2);
    }

    [Test]
    public async Task UpstreamRateLimit_Is429WithRetryAfterInAnthropicShape()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson("""{"error":{"message":"slow down","type":"rate_limit"}}""", 429, retryAfter: "7");
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""");
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.TooManyRequests);
        await Assert.That(response.Headers.RetryAfter?.Delta).IsEqualTo(TimeSpan.FromSeconds(7));
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("rate_limit_error");
        await Assert.That(error.RootElement.TryGetProperty("request_id", out _)).IsTrue();
    }

    [Test]
    public async Task AnthropicProvider_Overloaded503_ReachesTheClientAs529WithItsOwnBody()
    {
        const string overloaded = """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_vendor"}""";
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(overloaded, 503);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl())));

        using var response = await PostAsync(gateway, """{"model":"claude-x","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""");

        await Assert.That((int)response.StatusCode).IsEqualTo(529);
        await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo(overloaded);
    }

    [Test]
    public async Task AnswerThatBreaksOffMidBody_Is502()
    {
        // A raw socket, so the cut is exact: headers promise 1,000 bytes, a few arrive, then the connection closes.
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var provider = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync();
            var buffer = new byte[64 * 1024];
            var received = 0;
            while (!Encoding.ASCII.GetString(buffer, 0, received).Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                received += await socket.ReceiveAsync(buffer.AsMemory(received));
            }

            await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"id\":\"chatcmpl-1\",\"choi"));
            socket.Shutdown(System.Net.Sockets.SocketShutdown.Both);
        });
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", $"http://127.0.0.1:{port}/v1")));

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","max_tokens":5,"messages":[{"role":"user","content":"hi"}]}""");
        var body = await response.Content.ReadAsStringAsync();
        await provider;

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadGateway);
        await Assert.That(body).Contains("the answer of provider 'openai' broke off");
    }

    [Test]
    public async Task PassthroughStreamThatEndsBeforeMessageStop_EndsWithAnErrorEvent()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondStream("event: message_start\ndata: {\"type\":\"message_start\"}\n\n");
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl())));

        using var response = await PostAsync(gateway, """{"model":"claude-x","stream":true,"max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""");
        var text = await response.Content.ReadAsStringAsync();

        await Assert.That(text).StartsWith("event: message_start\ndata: {\"type\":\"message_start\"}\n\n\n\nevent: error\ndata: {\"type\":\"error\"");
        await Assert.That(text).Contains("ended before message_stop");
    }

    [Test]
    public async Task PassthroughStreamThatBreaksMidEvent_EndsWithAnErrorEventOfItsOwn()
    {
        var clientSawContent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("event: message_start\ndata: {\"type\":\"message_start\"}\n\nevent: content_block_delta\ndata: {\"type\":\"content_bl");
            await context.Response.Body.FlushAsync();
            await clientSawContent.Task;
            context.Abort();
        };
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl())));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/messages", UriKind.Relative))
        {
            Content = Json("""{"model":"claude-x","stream":true,"max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}"""),
        };

        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var text = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            text.Append(line).Append('\n');
            if (line.Contains("content_bl", StringComparison.Ordinal))
            {
                clientSawContent.TrySetResult();
            }
        }

        await Assert.That(text.ToString()).Contains("\"type\":\"content_bl\n\nevent: error\ndata: {\"type\":\"error\"");
    }

    [Test]
    public async Task UnreachableProvider_Is502()
    {
        var port = ClosedPort.Find();

        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", $"http://127.0.0.1:{port}/v1"), ("MAX_RETRIES", "0")));

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}""");
        var body = await response.Content.ReadAsStringAsync();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadGateway);
        await Assert.That(body).Contains($"could not connect to provider 'openai' at http://127.0.0.1:{port}/v1/chat/completions: Connection refused");
    }

    [Test]
    public async Task SlowProvider_PastTheRequestTimeout_Is504()
    {
        var never = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = _ => never.Task;
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("REQUEST_TIMEOUT", "0.3")));

        using var response = await PostAsync(gateway, """{"model":"gpt-4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""");
        never.TrySetResult();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.GatewayTimeout);
        await Assert.That(await response.Content.ReadAsStringAsync()).Contains("timeout_error");
    }

    [Test]
    public async Task AzureProvider_UsesTheDeploymentUrlAndApiKeyHeader()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(OpenAIAnswer);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("AZURE_API_KEY", "az-key"), ("AZURE_BASE_URL", upstream.BaseUrl()), ("AZURE_API_VERSION", "2024-10-21")));

        using var response = await PostAsync(gateway, """{"model":"azure:my-gpt4o","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""");
        var sent = upstream.Received.Single();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(sent.Path).IsEqualTo("/openai/deployments/my-gpt4o/chat/completions");
        await Assert.That(sent.Query).IsEqualTo("?api-version=2024-10-21");
        await Assert.That(sent.Header("api-key")).IsEqualTo("az-key");
    }

    [Test]
    public async Task CustomHeader_NamedLikeOneVdmSends_ReplacesIt()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson("""{"id":"msg_1","type":"message","content":[]}""");
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl()), ("ANTHROPIC_CUSTOM_HEADER_ANTHROPIC_VERSION", "2099-01-01")));

        using var response = await PostAsync(gateway, """{"model":"claude-x","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""", request => request.Headers.Add("anthropic-version", "2023-06-01"));

        await Assert.That(upstream.Received.Single().Header("anthropic-version")).IsEqualTo("2099-01-01");
    }

    [Test]
    public async Task AzureDeployment_UnderAnyName_GetsMaxCompletionTokens()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(OpenAIAnswer);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("WORK_API_KEY", "az"), ("WORK_BASE_URL", upstream.BaseUrl()), ("WORK_API_VERSION", "2024-10-21")));

        using var response = await PostAsync(gateway, """{"model":"work:gpt-4o","max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}""");

        await Assert.That(upstream.Received.Single().BodyText).Contains("\"max_completion_tokens\":50");
    }

    [Test]
    [Arguments("{not json", "The request body is not valid JSON")]
    [Arguments("[]", "The request body must be a JSON object.")]
    [Arguments("{\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", "model: Field required")]
    [Arguments("{\"model\":\"gpt-4o\",\"messages\":{}}", "messages: Input should be a valid list")]
    public async Task BadRequest_Is400InAnthropicShape(string body, string message)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var response = await PostAsync(gateway, body);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("invalid_request_error");
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("message").GetString()).StartsWith(message);
        await Assert.That(upstream.Received).IsEmpty();
    }

    [Test]
    public async Task LargeBody_FiveMegabytes_GoesThroughIntact()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson("""{"id":"msg_1","type":"message","content":[]}""");
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("ANTHROPIC_API_KEY", "k"), ("ANTHROPIC_BASE_URL", upstream.BaseUrl())));
        var big = new string('x', 5 * 1024 * 1024);

        using var response = await PostAsync(gateway, $$"""{"model":"claude-x","max_tokens":5,"messages":[{"role":"user","content":"{{big}}"}]}""");

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(upstream.Received.Single().Body.Length).IsGreaterThan(5 * 1024 * 1024);
    }

    [Test]
    public async Task StreamThatBreaksMidway_EndsWithAnErrorEvent()
    {
        var clientSawContent = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"partial\"},\"finish_reason\":null}]}\n\n");
            await context.Response.Body.FlushAsync();
            await clientSawContent.Task;
            context.Abort();
        };
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/messages", UriKind.Relative))
        {
            Content = Json("""{"model":"gpt-4o","stream":true,"max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}"""),
        };

        using var response = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var text = new StringBuilder();
        while (await reader.ReadLineAsync() is { } line)
        {
            text.Append(line).Append('\n');
            if (line.Contains("partial", StringComparison.Ordinal))
            {
                clientSawContent.TrySetResult();
            }
        }

        var message = AnthropicStreamAccumulator.Replay(text.ToString());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(message.Blocks).IsEquivalentTo(["text: partial"]);
        await Assert.That(message.Error).IsNotNull();
        await Assert.That(message.StopReason).IsNull();
    }
}
