using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;
using static Vdm.EndToEnd.StreamText;

using static Vdm.EndToEnd.TestProviders;

namespace Vdm.EndToEnd;

/// <summary>
/// The official Anthropic .NET SDK against the published binary, feature by feature: aliases and fallback chains,
/// images, multi-step tool loops with parallel calls, vdm's own errors, broken and stalled streams, and
/// <c>!PASSTHRU</c> keys. (<see cref="AnthropicSdkTests"/> has the basics: text, streams, one tool call, upstream errors.)
/// </summary>
public class AnthropicSdkFeatureTests
{

    // A 1x1 transparent PNG.
    private const string PngBase64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    // :: Aliases

    [Test]
    public async Task MessagesCreate_GlobalAliasInsideAClaudeModelName_GoesToTheAliasTarget()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson(TextCompletion("aliased"));
        await using var vdm = await GatewayUnderTest.StartAsync(new Dictionary<string, string>(OpenAIEnvironment(provider))
        {
            ["VDM_ALIAS_HAIKU"] = "openai:gpt-4o-mini",
        });
        using var client = Client(vdm);

        var message = await client.Messages.Create(Ask("claude-3-5-haiku-20241022"));

        await Assert.That(TextOf(message)).IsEqualTo("aliased");
        await Assert.That(message.Model.Raw()).IsEqualTo("claude-3-5-haiku-20241022");
        await Assert.That(provider.Received.Single().Json.GetProperty("model").GetString()).IsEqualTo("gpt-4o-mini");
    }

    [Test]
    public async Task MessagesCreate_ProviderScopedAlias_AppliesUnderItsPrefixOnly()
    {
        await using var openai = await FakeProvider.StartAsync();
        await using var anthropic = await FakeProvider.StartAsync();
        openai.ThenJson(TextCompletion("scoped"));
        anthropic.ThenJson(AnthropicText("msg_bare", "bare")).ThenJson(AnthropicText("msg_global", "global"));
        await using var vdm = await GatewayUnderTest.StartAsync(new Dictionary<string, string>(OpenAIEnvironment(openai))
        {
            ["ANTHROPIC_API_KEY"] = AnthropicKey,
            ["ANTHROPIC_BASE_URL"] = anthropic.BaseUrl(),
            ["VDM_DEFAULT_PROVIDER"] = "anthropic",
            ["OPENAI_ALIAS_SMALL"] = "gpt-4.1-mini",
            ["VDM_ALIAS_SONNET"] = "anthropic:claude-sonnet-4-5",
        });
        using var client = Client(vdm);

        var scoped = await client.Messages.Create(Ask("openai:small"));
        var bare = await client.Messages.Create(Ask("small"));
        var global = await client.Messages.Create(Ask("claude-sonnet-4-5-20250929"));

        await Assert.That(TextOf(scoped)).IsEqualTo("scoped");
        await Assert.That(TextOf(bare)).IsEqualTo("bare");
        await Assert.That(TextOf(global)).IsEqualTo("global");
        await Assert.That(openai.Received.Single().Json.GetProperty("model").GetString()).IsEqualTo("gpt-4.1-mini");
        // openai's scoped alias is not tried for a bare name: anthropic is the default provider.
        await Assert.That(string.Join(",", anthropic.Received.Select(r => r.Json.GetProperty("model").GetString()))).IsEqualTo("small,claude-sonnet-4-5");
    }

    [Test]
    public async Task MessagesCreate_FallbackChainFirstTargetOverloaded_TheSdkGetsTheSecondTargetsAnswer()
    {
        await using var alpha = await FakeProvider.StartAsync();
        await using var beta = await FakeProvider.StartAsync();
        alpha.ThenJson("""{"error":{"message":"The engine is currently overloaded, please try again later.","type":"server_error"}}""", 503);
        beta.ThenJson(AnthropicText("msg_beta", "answered by beta"));
        await using var vdm = await GatewayUnderTest.StartAsync(new Dictionary<string, string>
        {
            ["ALPHA_API_KEY"] = "sk-alpha",
            ["ALPHA_BASE_URL"] = alpha.BaseUrl("/v1"),
            ["BETA_API_KEY"] = "sk-beta",
            ["BETA_BASE_URL"] = beta.BaseUrl(),
            ["BETA_API_FORMAT"] = "anthropic",
            ["VDM_ALIAS_SMART"] = "alpha:m1,beta:m2",
            ["MAX_RETRIES"] = "0",
        });
        var recorder = new SdkRequestRecorder();
        using var client = Client(vdm, recorder);

        var message = await client.Messages.Create(Ask("smart"));

        await Assert.That(message.ID).IsEqualTo("msg_beta");
        await Assert.That(TextOf(message)).IsEqualTo("answered by beta");
        var toAlpha = alpha.Received.Single();
        await Assert.That(toAlpha.Path).IsEqualTo("/v1/chat/completions");
        await Assert.That(toAlpha.Json.GetProperty("model").GetString()).IsEqualTo("m1");
        var toBeta = beta.Received.Single();
        await Assert.That(toBeta.Path).IsEqualTo("/v1/messages");
        await Assert.That(toBeta.Header("x-api-key")).IsEqualTo("sk-beta");
        await Assert.That(toBeta.BodyText).IsEqualTo(ReplaceModel(recorder.Bodies.Single(), "smart", "m2"));
        await Assert.That(vdm.Process.Stderr).Contains("falling back to beta:m2");
    }

    // :: Images

    [Test]
    public async Task MessagesCreate_Base64ImageToOpenAIProvider_ArrivesAsAnImageUrlDataUrl()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson(TextCompletion("A transparent pixel."));
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm);

        var message = await client.Messages.Create(ImageQuestion("openai:gpt-4o"));

        await Assert.That(TextOf(message)).IsEqualTo("A transparent pixel.");
        var content = provider.Received.Single().Json.GetProperty("messages")[0].GetProperty("content");
        await Assert.That(content.GetArrayLength()).IsEqualTo(2);
        await Assert.That(content[0].GetRawText()).IsEqualTo($$$"""{"type":"image_url","image_url":{"url":"data:image/png;base64,{{{PngBase64}}}"}}""");
        await Assert.That(content[1].GetProperty("type").GetString()).IsEqualTo("text");
        await Assert.That(content[1].GetProperty("text").GetString()).IsEqualTo("What is in this image?");
    }

    [Test]
    public async Task MessagesCreate_Base64ImageToAnthropicProvider_PassesThroughUntouched()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson(AnthropicText("msg_img", "A transparent pixel."));
        await using var vdm = await GatewayUnderTest.StartAsync(AnthropicEnvironment(provider));
        var recorder = new SdkRequestRecorder();
        using var client = Client(vdm, recorder);

        var message = await client.Messages.Create(ImageQuestion("anthropic:claude-sonnet-4-5"));

        await Assert.That(TextOf(message)).IsEqualTo("A transparent pixel.");
        var sent = provider.Received.Single();
        await Assert.That(sent.BodyText).IsEqualTo(ReplaceModel(recorder.Bodies.Single(), "anthropic:claude-sonnet-4-5", "claude-sonnet-4-5"));
        var source = sent.Json.GetProperty("messages")[0].GetProperty("content")[0].GetProperty("source");
        await Assert.That(source.GetProperty("type").GetString()).IsEqualTo("base64");
        await Assert.That(source.GetProperty("media_type").GetString()).IsEqualTo("image/png");
        await Assert.That(source.GetProperty("data").GetString()).IsEqualTo(PngBase64);
    }

    // :: Tool loops

    [Test]
    public async Task MessagesCreate_ToolLoopWithParallelCalls_RoundTripsEveryCallAndResult()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider
            .ThenJson("""
                {"id":"chatcmpl-l1","object":"chat.completion","created":1700000000,"model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Checking both.","tool_calls":[
                   {"id":"call_w1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}},
                   {"id":"call_t1","type":"function","function":{"name":"get_time","arguments":"{\"city\":\"Paris\"}"}}]},
                   "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":40,"completion_tokens":20,"total_tokens":60}}
                """)
            .ThenJson("""
                {"id":"chatcmpl-l2","object":"chat.completion","created":1700000001,"model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
                   {"id":"call_w2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},
                   "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":70,"completion_tokens":10,"total_tokens":80}}
                """)
            .ThenJson(TextCompletion("Paris: sunny at 14:00; Oslo: snow."));
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm);
        List<MessageParam> conversation = [new UserMessageParam("Weather and time in Paris, then weather in Oslo?")];

        var first = await client.Messages.Create(ToolParams(conversation));

        await Assert.That(first.StopReason!.Raw()).IsEqualTo("tool_use");
        await Assert.That(first.Content.Count).IsEqualTo(3);
        await Assert.That(TextOf(first)).IsEqualTo("Checking both.");
        var calls = ToolUses(first);
        await Assert.That(string.Join(" ", calls.Select(c => $"{c.ID}:{c.Name}:{c.Input["city"].GetString()}")))
            .IsEqualTo("call_w1:get_weather:Paris call_t1:get_time:Paris");

        conversation.Add(Echo(first));
        conversation.Add(Results(("call_w1", "sunny"), ("call_t1", "14:00")));
        var second = await client.Messages.Create(ToolParams(conversation));

        var oslo = ToolUses(second).Single();
        await Assert.That(oslo.ID).IsEqualTo("call_w2");
        await Assert.That(oslo.Input["city"].GetString()).IsEqualTo("Oslo");

        conversation.Add(Echo(second));
        conversation.Add(Results(("call_w2", "snow")));
        var third = await client.Messages.Create(ToolParams(conversation));

        await Assert.That(third.StopReason!.Raw()).IsEqualTo("end_turn");
        await Assert.That(TextOf(third)).IsEqualTo("Paris: sunny at 14:00; Oslo: snow.");
        await Assert.That(provider.Received.Count).IsEqualTo(3);
        await AssertToolHistoryAsync(provider.Received.Last().Json.GetProperty("messages"));
    }

    [Test]
    public async Task MessagesCreateStreaming_ToolLoopWithInterleavedParallelCalls_AggregatesAndRoundTripsBoth()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider
            .ThenStream(
                Chunk("""{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_w1","type":"function","function":{"name":"get_weather","arguments":""}}]}"""),
                Chunk("""{"tool_calls":[{"index":1,"id":"call_t1","type":"function","function":{"name":"get_time","arguments":"{\"ci"}}]}"""),
                Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}"""),
                Chunk("""{"tool_calls":[{"index":1,"function":{"arguments":"ty\":\"Paris\"}"}}]}"""),
                Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]}"""),
                Chunk("{}", "\"tool_calls\""),
                UsageChunk(40, 20),
                Done)
            .ThenStream(
                Chunk("""{"role":"assistant","content":"Sunny, "}"""),
                Chunk("""{"content":"14:00."}""", "\"stop\""),
                UsageChunk(70, 4),
                Done);
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm);
        List<MessageParam> conversation = [new UserMessageParam("Weather and time in Paris?")];

        var first = await SseAggregatorExtensions.Aggregate(client.Messages.CreateStreaming(ToolParams(conversation)));

        await Assert.That(first.StopReason!.Raw()).IsEqualTo("tool_use");
        var calls = ToolUses(first);
        await Assert.That(string.Join(" ", calls.Select(c => $"{c.ID}:{c.Name}:{c.Input["city"].GetString()}")))
            .IsEqualTo("call_w1:get_weather:Paris call_t1:get_time:Paris");
        await Assert.That(first.Usage.OutputTokens).IsEqualTo(20);

        conversation.Add(Echo(first));
        conversation.Add(Results(("call_w1", "sunny"), ("call_t1", "14:00")));
        var second = await SseAggregatorExtensions.Aggregate(client.Messages.CreateStreaming(ToolParams(conversation)));

        await Assert.That(second.StopReason!.Raw()).IsEqualTo("end_turn");
        await Assert.That(TextOf(second)).IsEqualTo("Sunny, 14:00.");
        var messages = provider.Received.Last().Json.GetProperty("messages");
        await Assert.That(messages.GetArrayLength()).IsEqualTo(4);
        var sentCalls = messages[1].GetProperty("tool_calls");
        await Assert.That(sentCalls.GetArrayLength()).IsEqualTo(2);
        await Assert.That(sentCalls[0].GetProperty("id").GetString()).IsEqualTo("call_w1");
        await Assert.That(sentCalls[0].GetProperty("function").GetProperty("arguments").GetString()).IsEqualTo("""{"city":"Paris"}""");
        await Assert.That(sentCalls[1].GetProperty("id").GetString()).IsEqualTo("call_t1");
        await Assert.That(sentCalls[1].GetProperty("function").GetProperty("name").GetString()).IsEqualTo("get_time");
        await Assert.That(messages[2].GetProperty("tool_call_id").GetString()).IsEqualTo("call_w1");
        await Assert.That(messages[2].GetProperty("content").GetString()).IsEqualTo("sunny");
        await Assert.That(messages[3].GetProperty("tool_call_id").GetString()).IsEqualTo("call_t1");
        await Assert.That(messages[3].GetProperty("content").GetString()).IsEqualTo("14:00");
    }

    // :: vdm's own errors

    [Test]
    public async Task MessagesCreate_MaxTokensMissing_ThrowsBadRequestNamingTheField()
    {
        await using var provider = await FakeProvider.StartAsync();
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));
        // The SDK's typed parameters always carry max_tokens: take it out on the way.
        var recorder = new SdkRequestRecorder(rewriteBody: body =>
        {
            var json = JsonNode.Parse(body)!.AsObject();
            json.Remove("max_tokens");
            return json.ToJsonString();
        });
        using var client = Client(vdm, recorder);

        var exception = await Assert.ThrowsExactlyAsync<AnthropicBadRequestException>(() => client.Messages.Create(Ask("openai:gpt-4o")));

        await Assert.That(recorder.Bodies.Single()).DoesNotContain("max_tokens");
        await Assert.That(exception!.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(exception.Type?.Raw()).IsEqualTo("invalid_request_error");
        await Assert.That(exception.ApiMessage).IsEqualTo("max_tokens: Field required");
        await Assert.That(provider.Received).IsEmpty();
    }

    [Test]
    public async Task MessagesCreate_BodyOverMaxRequestBytes_ThrowsContentTooLarge()
    {
        await using var provider = await FakeProvider.StartAsync();
        await using var vdm = await GatewayUnderTest.StartAsync(new Dictionary<string, string>(OpenAIEnvironment(provider)) { ["MAX_REQUEST_BYTES"] = "2048" });
        using var client = Client(vdm);

        var exception = await Assert.ThrowsExactlyAsync<AnthropicContentTooLargeException>(
            () => client.Messages.Create(Ask("openai:gpt-4o", new string('x', 4096))));

        await Assert.That((int)exception!.StatusCode).IsEqualTo(413);
        using var body = JsonDocument.Parse(exception.ResponseBody);
        await Assert.That(body.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("request_too_large");
        await Assert.That(body.RootElement.GetProperty("error").GetProperty("message").GetString()).IsEqualTo("The request body is larger than the gateway accepts.");
        await Assert.That(provider.Received).IsEmpty();

        // The same server still serves a request within the limit.
        provider.ThenJson(TextCompletion("small enough"));
        await Assert.That(TextOf(await client.Messages.Create(Ask("openai:gpt-4o")))).IsEqualTo("small enough");
    }

    [Test]
    public async Task MessagesCreate_WrongProxyKey_ThrowsUnauthorizedWithoutCallingAProvider()
    {
        await using var provider = await FakeProvider.StartAsync();
        await using var vdm = await GatewayUnderTest.StartAsync(new Dictionary<string, string>(OpenAIEnvironment(provider)) { ["PROXY_API_KEY"] = "vdm-proxy-secret" });
        using var client = Client(vdm);

        var exception = await Assert.ThrowsExactlyAsync<AnthropicUnauthorizedException>(() => client.Messages.Create(Ask("openai:gpt-4o")));

        await Assert.That(exception!.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(exception.Type?.Raw()).IsEqualTo("authentication_error");
        await Assert.That(exception.ApiMessage).Contains("PROXY_API_KEY");
        await Assert.That(exception.ResponseBody).DoesNotContain(ClientKey);
        await Assert.That(provider.Received).IsEmpty();
    }

    // :: Broken streams

    [Test]
    public async Task MessagesCreateStreaming_OpenAIProviderDropsTheConnection_TheStreamThrowsAfterTheText()
    {
        await using var provider = await FakeProvider.StartAsync();
        var textArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.ThenStreamThenDrop(
            textArrived.Task,
            Chunk("""{"role":"assistant","content":""}"""),
            Chunk("""{"content":"The answer is"}"""));
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm);

        var (events, exception) = await StreamUntilErrorAsync(client, Ask("openai:gpt-4o"), textArrived);

        await Assert.That(exception).IsNotNull();
        await Assert.That(exception!.Type?.Raw()).IsEqualTo("api_error");
        await Assert.That(exception.ApiMessage).IsEqualTo("The upstream stream ended unexpectedly.");
        await Assert.That(TextDeltas(events)).IsEqualTo("The answer is");
        await Assert.That(events.Any(e => e.TryPickStop(out _))).IsFalse();
    }

    [Test]
    public async Task MessagesCreateStreaming_OpenAIProviderStalls_TheStreamThrowsTheReadTimeout()
    {
        await using var provider = await FakeProvider.StartAsync();
        var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.ThenStreamThenStall(abandoned, Chunk("""{"role":"assistant","content":"Thinking"}"""));
        await using var vdm = await GatewayUnderTest.StartAsync(new Dictionary<string, string>(OpenAIEnvironment(provider))
        {
            ["STREAMING_READ_TIMEOUT_SECONDS"] = "1",
        });
        using var client = Client(vdm);

        var (events, exception) = await StreamUntilErrorAsync(client, Ask("openai:gpt-4o"), textArrived: null);

        await Assert.That(exception).IsNotNull();
        await Assert.That(exception!.Type?.Raw()).IsEqualTo("timeout_error");
        await Assert.That(exception.ApiMessage).IsEqualTo("provider 'openai' sent nothing for 1 s (STREAMING_READ_TIMEOUT_SECONDS)");
        await Assert.That(TextDeltas(events)).IsEqualTo("Thinking");
        // vdm closed its request to the provider rather than leave it hanging.
        await abandoned.Task.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Test]
    public async Task MessagesCreateStreaming_AnthropicProviderDropsTheConnection_TheStreamThrows()
    {
        await using var provider = await FakeProvider.StartAsync();
        var textArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.ThenStreamThenDrop(textArrived.Task, [.. AnthropicStreamStart("msg_drop"), Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"The answer is"}}""")]);
        await using var vdm = await GatewayUnderTest.StartAsync(AnthropicEnvironment(provider));
        using var client = Client(vdm);

        var (events, exception) = await StreamUntilErrorAsync(client, Ask("anthropic:claude-sonnet-4-5"), textArrived);

        await Assert.That(exception).IsNotNull();
        await Assert.That(exception!.Type?.Raw()).IsEqualTo("api_error");
        await Assert.That(exception.ApiMessage).StartsWith("the upstream stream of provider 'anthropic' failed: ");
        await Assert.That(TextDeltas(events)).IsEqualTo("The answer is");
    }

    [Test]
    public async Task MessagesCreateStreaming_AnthropicProviderEndsBeforeMessageStop_TheStreamThrows()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenStream([.. AnthropicStreamStart("msg_short"), Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Half"}}""")]);
        await using var vdm = await GatewayUnderTest.StartAsync(AnthropicEnvironment(provider));
        using var client = Client(vdm);

        var (events, exception) = await StreamUntilErrorAsync(client, Ask("anthropic:claude-sonnet-4-5"), textArrived: null);

        await Assert.That(exception).IsNotNull();
        await Assert.That(exception!.Type?.Raw()).IsEqualTo("api_error");
        await Assert.That(exception.ApiMessage).IsEqualTo("the stream of provider 'anthropic' ended before message_stop");
        await Assert.That(TextDeltas(events)).IsEqualTo("Half");
    }

    // :: !PASSTHRU

    [Test]
    public async Task MessagesCreate_PassthruAnthropicProvider_ForwardsTheSdksOwnKey()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson(AnthropicText("msg_own", "with your key"));
        await using var vdm = await GatewayUnderTest.StartAsync(new Dictionary<string, string>(AnthropicEnvironment(provider)) { ["ANTHROPIC_API_KEY"] = "!PASSTHRU" });
        var recorder = new SdkRequestRecorder();
        using var client = Client(vdm, recorder);

        var message = await client.Messages.Create(Ask("anthropic:claude-sonnet-4-5"));

        await Assert.That(TextOf(message)).IsEqualTo("with your key");
        // The SDK sends its key as a bearer token; vdm forwards it in the same header it came in.
        await Assert.That(recorder.Header(0, "authorization")).IsEqualTo($"Bearer {ClientKey}");
        var sent = provider.Received.Single();
        await Assert.That(sent.Header("authorization")).IsEqualTo($"Bearer {ClientKey}");
        await Assert.That(sent.Header("x-api-key")).IsNull();
        await Assert.That(sent.BodyText).DoesNotContain(ClientKey);
    }

    [Test]
    public async Task MessagesCreate_PassthruOpenAIProviderBehindAProxyKey_ForwardsTheSdksKeyButNotTheProxyKey()
    {
        const string proxyKey = "vdm-proxy-secret";
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson(TextCompletion("with your key"));
        await using var vdm = await GatewayUnderTest.StartAsync(new Dictionary<string, string>(OpenAIEnvironment(provider))
        {
            ["OPENAI_API_KEY"] = "!PASSTHRU",
            ["PROXY_API_KEY"] = proxyKey,
        });
        using var client = Client(vdm, extraHeaders: new Dictionary<string, string> { ["x-vdm-proxy-key"] = proxyKey });

        var message = await client.Messages.Create(Ask("openai:gpt-4o"));

        await Assert.That(TextOf(message)).IsEqualTo("with your key");
        var sent = provider.Received.Single();
        await Assert.That(sent.Header("authorization")).IsEqualTo($"Bearer {ClientKey}");
        await Assert.That(string.Join("\n", sent.Headers.Values)).DoesNotContain(proxyKey);
        await Assert.That(sent.BodyText).DoesNotContain(ClientKey);
    }

    // :: Helpers

    private static async Task AssertToolHistoryAsync(JsonElement messages)
    {
        // user, assistant (text + 2 calls), tool, tool, assistant (1 call), tool
        await Assert.That(string.Join(",", messages.EnumerateArray().Select(m => m.GetProperty("role").GetString())))
            .IsEqualTo("user,assistant,tool,tool,assistant,tool");
        await Assert.That(messages[1].GetProperty("content").GetString()).IsEqualTo("Checking both.");
        var calls = messages[1].GetProperty("tool_calls");
        await Assert.That(string.Join(",", calls.EnumerateArray().Select(c => c.GetProperty("id").GetString()))).IsEqualTo("call_w1,call_t1");
        await Assert.That(calls[1].GetProperty("function").GetProperty("arguments").GetString()).IsEqualTo("""{"city":"Paris"}""");
        await Assert.That(messages[2].GetProperty("tool_call_id").GetString()).IsEqualTo("call_w1");
        await Assert.That(messages[2].GetProperty("content").GetString()).IsEqualTo("sunny");
        await Assert.That(messages[3].GetProperty("tool_call_id").GetString()).IsEqualTo("call_t1");
        await Assert.That(messages[3].GetProperty("content").GetString()).IsEqualTo("14:00");
        await Assert.That(messages[4].GetProperty("tool_calls")[0].GetProperty("id").GetString()).IsEqualTo("call_w2");
        await Assert.That(messages[5].GetProperty("tool_call_id").GetString()).IsEqualTo("call_w2");
        await Assert.That(messages[5].GetProperty("content").GetString()).IsEqualTo("snow");
    }

    /// <summary>
    /// Reads a stream until the SDK throws, completing <paramref name="textArrived"/> at the first text delta; the events
    /// before the exception, and the exception (null when the stream ended without one).
    /// </summary>
    private static async Task<(List<RawMessageStreamEvent> Events, AnthropicSseException? Exception)> StreamUntilErrorAsync(
        AnthropicClient client, MessageCreateParams parameters, TaskCompletionSource? textArrived)
    {
        var events = new List<RawMessageStreamEvent>();
        try
        {
            await foreach (var streamEvent in client.Messages.CreateStreaming(parameters))
            {
                events.Add(streamEvent);
                if (streamEvent.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out _))
                {
                    textArrived?.TrySetResult();
                }
            }
        }
        catch (AnthropicSseException exception)
        {
            return (events, exception);
        }

        return (events, null);
    }

    private static string TextDeltas(List<RawMessageStreamEvent> events) => string.Concat(events
        .Select(e => e.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var text) ? text.Text : null)
        .OfType<string>());

    private static string[] AnthropicStreamStart(string id) =>
    [
        Event("message_start", $$$$"""{"type":"message_start","message":{"id":"{{{{id}}}}","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}"""),
        Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}"""),
    ];

    private static string TextOf(Message message) =>
        string.Concat(message.Content.Select(block => block.TryPickText(out var text) ? text.Text : null).OfType<string>());

    private static List<ToolUseBlock> ToolUses(Message message) =>
        [.. message.Content.Select(block => block.TryPickToolUse(out var toolUse) ? toolUse : null).OfType<ToolUseBlock>()];

    /// <summary>The assistant's turn as the client sends it back: its text and tool calls.</summary>
    private static AssistantMessageParam Echo(Message message)
    {
        var blocks = new List<ContentBlockParam>();
        foreach (var block in message.Content)
        {
            if (block.TryPickText(out var text))
            {
                blocks.Add(new TextBlockParam { Text = text.Text });
            }
            else if (block.TryPickToolUse(out var toolUse))
            {
                blocks.Add(new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input });
            }
        }

        return new AssistantMessageParam(blocks);
    }

    private static UserMessageParam Results(params (string ID, string Content)[] results) =>
        new(results.Select(r => (ContentBlockParam)new ToolResultBlockParam(r.ID) { Content = r.Content }).ToList());

    private static MessageCreateParams ToolParams(List<MessageParam> conversation) => new()
    {
        Model = "openai:gpt-4o",
        MaxTokens = 300,
        Tools = [CityTool("get_weather"), CityTool("get_time")],
        Messages = [.. conversation],
    };

    private static ToolUnion CityTool(string name) => new Tool
    {
        Name = name,
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement> { ["city"] = JsonDocument.Parse("""{"type":"string"}""").RootElement.Clone() },
            Required = ["city"],
        },
    };

    private static MessageCreateParams ImageQuestion(string model) => new()
    {
        Model = model,
        MaxTokens = 100,
        Messages =
        [
            new UserMessageParam(new List<ContentBlockParam>
            {
                new ImageBlockParam(new Base64ImageSource { Data = PngBase64, MediaType = MediaType.ImagePng }),
                new TextBlockParam { Text = "What is in this image?" },
            }),
        ],
    };

    private static MessageCreateParams Ask(string model, string question = "Hi") => new()
    {
        Model = model,
        MaxTokens = 50,
        Messages = [new UserMessageParam(question)],
    };

    private static string ReplaceModel(string body, string from, string to) =>
        body.Replace($"\"model\":\"{from}\"", $"\"model\":\"{to}\"", StringComparison.Ordinal);

    private static string AnthropicText(string id, string text) => $$$"""
        {"id":"{{{id}}}","type":"message","role":"assistant","model":"claude-sonnet-4-5",
         "content":[{"type":"text","text":"{{{text}}}"}],"stop_reason":"end_turn","stop_sequence":null,
         "usage":{"input_tokens":3,"output_tokens":2}}
        """;

    /// <summary>A client of vdm with the SDK's own retries off, so one call is one request and failures are immediate.</summary>
    private static AnthropicClient Client(GatewayUnderTest vdm, SdkRequestRecorder? recorder = null, IReadOnlyDictionary<string, string>? extraHeaders = null)
    {
        var options = new ClientOptions
        {
            BaseUrl = vdm.Root,
            ApiKey = ClientKey,
            MaxRetries = 0,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (recorder is not null)
        {
            options = options with { HttpClient = new HttpClient(recorder) };
        }

        if (extraHeaders is not null)
        {
            options = options with { ExtraHeaders = extraHeaders };
        }

        return new AnthropicClient(options);
    }
}
