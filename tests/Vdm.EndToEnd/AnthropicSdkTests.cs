using System.Net;
using System.Text;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Anthropic.Exceptions;
using Anthropic.Models.Messages;

using static Vdm.EndToEnd.TestProviders;

namespace Vdm.EndToEnd;

/// <summary>
/// The official Anthropic .NET SDK against the published binary, with a fake provider behind it: what Claude Code's
/// siblings see when they point <c>base_url</c> at vdm. Each test has its own provider, its own vdm and its own client.
/// </summary>
public class AnthropicSdkTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    // :: OpenAI-format provider (converted)

    [Test]
    public async Task MessagesCreate_OpenAIProviderText_ReturnsTextEndTurnAndUsage()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson("""
            {"id":"chatcmpl-e2e1","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the fake provider!"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":6,"total_tokens":18}}
            """);
        await using var vdm = await StartVdmAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm.Url);

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = "openai:gpt-4o",
            MaxTokens = 100,
            Messages = [new UserMessageParam("Say hello")],
        });

        await Assert.That(message.Content.Count).IsEqualTo(1);
        await Assert.That(message.Content[0].TryPickText(out var text)).IsTrue();
        await Assert.That(text!.Text).IsEqualTo("Hello from the fake provider!");
        await Assert.That(message.StopReason!.Raw()).IsEqualTo("end_turn");
        await Assert.That(message.Usage.InputTokens).IsEqualTo(12);
        await Assert.That(message.Usage.OutputTokens).IsEqualTo(6);
        await Assert.That(message.Model.Raw()).IsEqualTo("openai:gpt-4o");

        var sent = provider.Received.Single();
        await Assert.That(sent.Path).IsEqualTo("/v1/chat/completions");
        await Assert.That(sent.Header("authorization")).IsEqualTo($"Bearer {OpenAIKey}");
        await Assert.That(sent.BodyText).DoesNotContain(ClientKey);
        var body = sent.Json;
        await Assert.That(body.GetProperty("model").GetString()).IsEqualTo("gpt-4o");
        await Assert.That(body.GetProperty("max_completion_tokens").GetInt32()).IsEqualTo(100);
        var messages = body.GetProperty("messages");
        await Assert.That(messages.GetArrayLength()).IsEqualTo(1);
        await Assert.That(messages[0].GetProperty("role").GetString()).IsEqualTo("user");
        await Assert.That(messages[0].GetProperty("content").GetString()).IsEqualTo("Say hello");
    }

    [Test]
    public async Task MessagesCreateStreaming_OpenAIProvider_YieldsTextDeltasAndAFinalMessage()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenStream(
            Chunk("""{"role":"assistant","content":""}""", finishReason: null),
            Chunk("""{"content":"Hel"}""", finishReason: null),
            Chunk("""{"content":"lo, "}""", finishReason: null),
            Chunk("""{"content":"world"}""", finishReason: "\"stop\""),
            """data: {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":7,"completion_tokens":3,"total_tokens":10}}""" + "\n\n",
            "data: [DONE]\n\n");
        await using var vdm = await StartVdmAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm.Url);

        var events = new List<RawMessageStreamEvent>();
        await foreach (var streamEvent in client.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "openai:gpt-4o",
            MaxTokens = 50,
            Messages = [new UserMessageParam("Greet the world")],
        }))
        {
            events.Add(streamEvent);
        }

        var deltas = events
            .Select(e => e.TryPickContentBlockDelta(out var delta) && delta.Delta.TryPickText(out var text) ? text.Text : null)
            .OfType<string>()
            .ToList();
        var message = await SseAggregatorExtensions.Aggregate(events.ToAsyncEnumerable());

        await Assert.That(deltas).IsEquivalentTo(["Hel", "lo, ", "world"]);
        await Assert.That(events[0].TryPickStart(out _)).IsTrue();
        await Assert.That(events[^1].TryPickStop(out _)).IsTrue();
        await Assert.That(message.Content.Count).IsEqualTo(1);
        await Assert.That(message.Content[0].TryPickText(out var final)).IsTrue();
        await Assert.That(final!.Text).IsEqualTo("Hello, world");
        await Assert.That(message.StopReason!.Raw()).IsEqualTo("end_turn");
        await Assert.That(message.Usage.OutputTokens).IsEqualTo(3);

        var sent = provider.Received.Single().Json;
        await Assert.That(sent.GetProperty("stream").GetBoolean()).IsTrue();
        await Assert.That(sent.GetProperty("stream_options").GetProperty("include_usage").GetBoolean()).IsTrue();
    }

    [Test]
    public async Task MessagesCreate_OpenAIProviderToolCall_RoundTripsToolUseAndToolResult()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider
            .ThenJson("""
                {"id":"chatcmpl-t1","object":"chat.completion","created":1700000000,"model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":null,
                   "tool_calls":[{"id":"call_w42","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\",\"days\":2}"}}]},
                   "finish_reason":"tool_calls"}],
                 "usage":{"prompt_tokens":30,"completion_tokens":12,"total_tokens":42}}
                """)
            .ThenJson("""
                {"id":"chatcmpl-t2","object":"chat.completion","created":1700000001,"model":"gpt-4o",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Sunny, 21 °C."},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":50,"completion_tokens":5,"total_tokens":55}}
                """);
        await using var vdm = await StartVdmAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm.Url);
        ToolUnion weatherTool = new Tool
        {
            Name = "get_weather",
            Description = "Weather forecast for a city",
            InputSchema = new InputSchema
            {
                Properties = new Dictionary<string, JsonElement>
                {
                    ["city"] = Parse("""{"type":"string"}"""),
                    ["days"] = Parse("""{"type":"integer"}"""),
                },
                Required = ["city"],
            },
        };
        MessageParam question = new UserMessageParam("Weather in Paris for two days?");

        var first = await client.Messages.Create(new MessageCreateParams
        {
            Model = "openai:gpt-4o",
            MaxTokens = 200,
            Tools = [weatherTool],
            Messages = [question],
        });

        await Assert.That(first.StopReason!.Raw()).IsEqualTo("tool_use");
        await Assert.That(first.Content.Count).IsEqualTo(1);
        await Assert.That(first.Content[0].TryPickToolUse(out var toolUse)).IsTrue();
        await Assert.That(toolUse!.Name).IsEqualTo("get_weather");
        await Assert.That(toolUse.ID).IsEqualTo("call_w42");
        await Assert.That(toolUse.Input.Keys.Order()).IsEquivalentTo(["city", "days"]);
        await Assert.That(toolUse.Input["city"].GetString()).IsEqualTo("Paris");
        await Assert.That(toolUse.Input["days"].GetInt32()).IsEqualTo(2);

        var second = await client.Messages.Create(new MessageCreateParams
        {
            Model = "openai:gpt-4o",
            MaxTokens = 200,
            Tools = [weatherTool],
            Messages =
            [
                question,
                new AssistantMessageParam(new List<ContentBlockParam>
                {
                    new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input },
                }),
                new UserMessageParam(new List<ContentBlockParam>
                {
                    new ToolResultBlockParam(toolUse.ID) { Content = "Sunny, 21 °C both days" },
                }),
            ],
        });

        await Assert.That(second.Content[0].TryPickText(out var answer)).IsTrue();
        await Assert.That(answer!.Text).IsEqualTo("Sunny, 21 °C.");
        await Assert.That(provider.Received.Count).IsEqualTo(2);

        var firstSent = provider.Received.First().Json;
        var tool = firstSent.GetProperty("tools")[0];
        await Assert.That(tool.GetProperty("type").GetString()).IsEqualTo("function");
        await Assert.That(tool.GetProperty("function").GetProperty("name").GetString()).IsEqualTo("get_weather");
        await Assert.That(tool.GetProperty("function").GetProperty("parameters").GetProperty("required")[0].GetString()).IsEqualTo("city");

        var messages = provider.Received.Last().Json.GetProperty("messages");
        await Assert.That(messages.GetArrayLength()).IsEqualTo(3);
        await Assert.That(messages[1].GetProperty("role").GetString()).IsEqualTo("assistant");
        var call = messages[1].GetProperty("tool_calls")[0];
        await Assert.That(call.GetProperty("id").GetString()).IsEqualTo("call_w42");
        await Assert.That(call.GetProperty("function").GetProperty("name").GetString()).IsEqualTo("get_weather");
        using var arguments = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
        await Assert.That(arguments.RootElement.GetProperty("city").GetString()).IsEqualTo("Paris");
        await Assert.That(arguments.RootElement.GetProperty("days").GetInt32()).IsEqualTo(2);
        await Assert.That(messages[2].GetProperty("role").GetString()).IsEqualTo("tool");
        await Assert.That(messages[2].GetProperty("tool_call_id").GetString()).IsEqualTo("call_w42");
        await Assert.That(messages[2].GetProperty("content").GetString()).IsEqualTo("Sunny, 21 °C both days");
    }

    [Test]
    public async Task MessagesCreateStreaming_OpenAIProviderToolCallFragments_AggregateToOneToolUse()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenStream(
            Chunk("""{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_s7","type":"function","function":{"name":"get_weather","arguments":""}}]}""", finishReason: null),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]}""", finishReason: null),
            Chunk("""{"tool_calls":[{"index":0,"function":{"arguments":"\"Oslo\"}"}}]}""", finishReason: null),
            Chunk("{}", finishReason: "\"tool_calls\""),
            """data: {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":8,"total_tokens":28}}""" + "\n\n",
            "data: [DONE]\n\n");
        await using var vdm = await StartVdmAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm.Url);

        var message = await SseAggregatorExtensions.Aggregate(client.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "openai:gpt-4o",
            MaxTokens = 100,
            Tools = [new Tool { Name = "get_weather", InputSchema = new InputSchema { Properties = new Dictionary<string, JsonElement> { ["city"] = Parse("""{"type":"string"}""") } } }],
            Messages = [new UserMessageParam("Weather in Oslo?")],
        }));

        await Assert.That(message.StopReason!.Raw()).IsEqualTo("tool_use");
        await Assert.That(message.Content.Count).IsEqualTo(1);
        await Assert.That(message.Content[0].TryPickToolUse(out var toolUse)).IsTrue();
        await Assert.That(toolUse!.ID).IsEqualTo("call_s7");
        await Assert.That(toolUse.Name).IsEqualTo("get_weather");
        await Assert.That(toolUse.Input.Keys).IsEquivalentTo(["city"]);
        await Assert.That(toolUse.Input["city"].GetString()).IsEqualTo("Oslo");
        await Assert.That(message.Usage.OutputTokens).IsEqualTo(8);
    }

    // :: Anthropic-format provider (passthrough)

    [Test]
    public async Task MessagesCreate_AnthropicProvider_ForwardsTheSdkBodyWithOnlyTheModelChanged()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson("""
            {"id":"msg_e2e1","type":"message","role":"assistant","model":"claude-sonnet-4-5",
             "content":[{"type":"thinking","thinking":"The user greets me.","signature":"c2lnbmF0dXJl"},{"type":"text","text":"Hello, passthrough!"}],
             "stop_reason":"end_turn","stop_sequence":null,
             "usage":{"input_tokens":21,"output_tokens":9,"cache_creation_input_tokens":0,"cache_read_input_tokens":4}}
            """);
        await using var vdm = await StartVdmAsync(AnthropicEnvironment(provider));
        var recorder = new RecordingHandler();
        using var client = Client(vdm.Url, recorder);

        var message = await client.Messages.Create(PassthroughParams());

        await Assert.That(message.ID).IsEqualTo("msg_e2e1");
        await Assert.That(message.Content.Count).IsEqualTo(2);
        await Assert.That(message.Content[0].TryPickThinking(out var thinking)).IsTrue();
        await Assert.That(thinking!.Thinking).IsEqualTo("The user greets me.");
        await Assert.That(thinking.Signature).IsEqualTo("c2lnbmF0dXJl");
        await Assert.That(message.Content[1].TryPickText(out var text)).IsTrue();
        await Assert.That(text!.Text).IsEqualTo("Hello, passthrough!");
        await Assert.That(message.StopReason!.Raw()).IsEqualTo("end_turn");
        await Assert.That(message.Usage.InputTokens).IsEqualTo(21);
        await Assert.That(message.Usage.CacheReadInputTokens).IsEqualTo(4);

        await AssertPassedThroughAsync(provider.Received.Single(), recorder, stream: false);
    }

    [Test]
    public async Task MessagesCreateStreaming_AnthropicProvider_RelaysEventsTheSdkAggregates()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenStream(
            Event("message_start", """{"type":"message_start","message":{"id":"msg_e2e2","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":21,"output_tokens":1}}}"""),
            Event("content_block_start", """{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}"""),
            Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Greeting."}}"""),
            Event("content_block_delta", """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"c2ln"}}"""),
            Event("content_block_stop", """{"type":"content_block_stop","index":0}"""),
            Event("ping", """{"type":"ping"}"""),
            Event("content_block_start", """{"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}"""),
            Event("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Hello, "}}"""),
            Event("content_block_delta", """{"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"stream!"}}"""),
            Event("content_block_stop", """{"type":"content_block_stop","index":1}"""),
            Event("message_delta", """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":11}}"""),
            Event("message_stop", """{"type":"message_stop"}"""));
        await using var vdm = await StartVdmAsync(AnthropicEnvironment(provider));
        var recorder = new RecordingHandler();
        using var client = Client(vdm.Url, recorder);

        var events = new List<RawMessageStreamEvent>();
        await foreach (var streamEvent in client.Messages.CreateStreaming(PassthroughParams()))
        {
            events.Add(streamEvent);
        }

        var message = await SseAggregatorExtensions.Aggregate(events.ToAsyncEnumerable());

        await Assert.That(events.Count).IsEqualTo(11);
        await Assert.That(message.ID).IsEqualTo("msg_e2e2");
        await Assert.That(message.Content.Count).IsEqualTo(2);
        await Assert.That(message.Content[0].TryPickThinking(out var thinking)).IsTrue();
        await Assert.That(thinking!.Thinking).IsEqualTo("Greeting.");
        await Assert.That(thinking.Signature).IsEqualTo("c2ln");
        await Assert.That(message.Content[1].TryPickText(out var text)).IsTrue();
        await Assert.That(text!.Text).IsEqualTo("Hello, stream!");
        await Assert.That(message.StopReason!.Raw()).IsEqualTo("end_turn");
        await Assert.That(message.Usage.OutputTokens).IsEqualTo(11);

        await AssertPassedThroughAsync(provider.Received.Single(), recorder, stream: true);
    }

    // :: Errors

    [Test]
    public async Task MessagesCreate_ProviderAnswers429_ThrowsRateLimitException()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson(
            """{"error":{"message":"Rate limit reached for gpt-4o on requests per min.","type":"requests","param":null,"code":"rate_limit_exceeded"}}""",
            429, retryAfter: "7");
        await using var vdm = await StartVdmAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm.Url);

        var exception = await Assert.ThrowsExactlyAsync<AnthropicRateLimitException>(() => client.Messages.Create(SimpleParams("openai:gpt-4o")));

        await Assert.That(exception!.StatusCode).IsEqualTo(HttpStatusCode.TooManyRequests);
        await Assert.That(exception.ResponseBody).Contains("\"type\":\"rate_limit_error\"");
        await Assert.That(exception.ResponseBody).Contains("Rate limit reached for gpt-4o on requests per min.");
        await Assert.That(provider.Received.Count).IsEqualTo(1);
    }

    [Test]
    public async Task MessagesCreate_ProviderAnswers401_ThrowsUnauthorizedException()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson(
            """{"error":{"message":"Incorrect API key provided: sk-opena***atic.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""",
            401);
        await using var vdm = await StartVdmAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm.Url);

        var exception = await Assert.ThrowsExactlyAsync<AnthropicUnauthorizedException>(() => client.Messages.Create(SimpleParams("openai:gpt-4o")));

        await Assert.That(exception!.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(exception.ResponseBody).Contains("\"type\":\"authentication_error\"");
        await Assert.That(exception.ResponseBody).Contains("Incorrect API key provided");
        await Assert.That(provider.Received.Count).IsEqualTo(1);
    }

    [Test]
    public async Task MessagesCreate_UnknownProviderPrefix_ThrowsBadRequestWithoutCallingAProvider()
    {
        await using var provider = await FakeProvider.StartAsync();
        await using var vdm = await StartVdmAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm.Url);

        var exception = await Assert.ThrowsExactlyAsync<AnthropicBadRequestException>(() => client.Messages.Create(SimpleParams("nope:model")));

        await Assert.That(exception!.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
        await Assert.That(exception.ResponseBody).Contains("\"type\":\"invalid_request_error\"");
        await Assert.That(provider.Received).IsEmpty();
    }

    [Test]
    public async Task MessagesCreate_ProviderAnswers404_ThrowsNotFoundException()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson(
            """{"error":{"message":"The model `gpt-9` does not exist or you do not have access to it.","type":"invalid_request_error","param":null,"code":"model_not_found"}}""",
            404);
        await using var vdm = await StartVdmAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm.Url);

        var exception = await Assert.ThrowsExactlyAsync<AnthropicNotFoundException>(() => client.Messages.Create(SimpleParams("openai:gpt-9")));

        await Assert.That(exception!.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(exception.ResponseBody).Contains("\"type\":\"not_found_error\"");
        await Assert.That(exception.ResponseBody).Contains("The model `gpt-9` does not exist");
    }

    [Test]
    public async Task MessagesCreate_ProviderAnswers500_Throws5xxException()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson("""{"error":{"message":"The server had an error while processing your request.","type":"server_error","param":null,"code":null}}""", 500);
        await using var vdm = await StartVdmAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm.Url);

        var exception = await Assert.ThrowsExactlyAsync<Anthropic5xxException>(() => client.Messages.Create(SimpleParams("openai:gpt-4o")));

        await Assert.That(exception!.StatusCode).IsEqualTo(HttpStatusCode.InternalServerError);
        await Assert.That(exception.ResponseBody).Contains("\"type\":\"api_error\"");
        await Assert.That(exception.ResponseBody).Contains("The server had an error while processing your request.");
        await Assert.That(provider.Received.Count).IsEqualTo(1);
    }

    [Test]
    public async Task MessagesCreate_ProviderAnswers503_ThrowsOverloadedException()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson("""{"error":{"message":"The engine is currently overloaded, please try again later.","type":"server_error","param":null,"code":null}}""", 503);
        await using var vdm = await StartVdmAsync(OpenAIEnvironment(provider));
        using var client = Client(vdm.Url);

        var exception = await Assert.ThrowsExactlyAsync<AnthropicOverloadedException>(() => client.Messages.Create(SimpleParams("openai:gpt-4o")));

        await Assert.That((int)exception!.StatusCode).IsEqualTo(529);
        await Assert.That(exception.ResponseBody).Contains("\"type\":\"overloaded_error\"");
        await Assert.That(provider.Received.Count).IsEqualTo(1);
    }

    [Test]
    public async Task MessagesCreate_ProviderOverloadedOnce_VdmRetriesAndTheSdkGetsTheAnswer()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson("""{"error":{"message":"The engine is currently overloaded, please try again later.","type":"server_error"}}""", 503, retryAfter: "0")
            .ThenJson("""{"id":"chatcmpl-r","choices":[{"index":0,"message":{"role":"assistant","content":"Back again"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":2}}""");
        await using var vdm = await StartVdmAsync(new Dictionary<string, string>(OpenAIEnvironment(provider)) { ["MAX_RETRIES"] = "2" });
        using var client = Client(vdm.Url);

        var message = await client.Messages.Create(SimpleParams("openai:gpt-4o"));

        await Assert.That(provider.Received.Count).IsEqualTo(2);
        await Assert.That(message.Content[0].TryPickText(out var text)).IsTrue();
        await Assert.That(text!.Text).IsEqualTo("Back again");
    }

    [Test]
    public async Task MessagesCreate_AnthropicProviderAnswers429_RelaysItsErrorAsRateLimitException()
    {
        const string providerError = """{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"},"request_id":"req_e2e429"}""";
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson(providerError, 429, retryAfter: "3");
        await using var vdm = await StartVdmAsync(AnthropicEnvironment(provider));
        using var client = Client(vdm.Url);

        var exception = await Assert.ThrowsExactlyAsync<AnthropicRateLimitException>(() => client.Messages.Create(PassthroughParams()));

        await Assert.That(exception!.StatusCode).IsEqualTo(HttpStatusCode.TooManyRequests);
        await Assert.That(exception.ResponseBody).Contains("Number of request tokens has exceeded your per-minute rate limit");
        await Assert.That(provider.Received.Count).IsEqualTo(1);
    }

    [Test]
    public async Task MessagesCreateStreaming_AnthropicProviderErrorEvent_ThrowsFromTheStream()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenStream(
            Event("message_start", """{"type":"message_start","message":{"id":"msg_e2e3","type":"message","role":"assistant","model":"claude-sonnet-4-5","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":1}}}"""),
            Event("error", """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""));
        await using var vdm = await StartVdmAsync(AnthropicEnvironment(provider));
        using var client = Client(vdm.Url);
        var events = new List<RawMessageStreamEvent>();

        var exception = await Assert.ThrowsExactlyAsync<AnthropicSseException>(async () =>
        {
            await foreach (var streamEvent in client.Messages.CreateStreaming(PassthroughParams()))
            {
                events.Add(streamEvent);
            }
        });

        await Assert.That(exception!.Message).Contains("Overloaded");
        await Assert.That(events.Count).IsEqualTo(1);
        await Assert.That(events[0].TryPickStart(out _)).IsTrue();
    }

    // :: Helpers

    /// <summary>
    /// The provider got the SDK's own body with only <c>model</c> changed, the SDK's <c>anthropic-version</c>, and the
    /// gateway's key instead of the client's.
    /// </summary>
    private static async Task AssertPassedThroughAsync(ProviderRequest sent, RecordingHandler sdk, bool stream)
    {
        var sdkBody = sdk.Bodies.Single();
        await Assert.That(sent.Path).IsEqualTo("/v1/messages");
        await Assert.That(sent.Header("x-api-key")).IsEqualTo(AnthropicKey);
        await Assert.That(sent.Header("authorization")).IsNull();
        await Assert.That(sdk.Versions.Single()).IsNotEmpty();
        await Assert.That(sent.Header("anthropic-version")).IsEqualTo(sdk.Versions.Single());
        await Assert.That(sdkBody).Contains("\"model\":\"anthropic:claude-sonnet-4-5\"");
        await Assert.That(sent.BodyText).IsEqualTo(sdkBody.Replace("\"model\":\"anthropic:claude-sonnet-4-5\"", "\"model\":\"claude-sonnet-4-5\"", StringComparison.Ordinal));
        var body = sent.Json;
        await Assert.That(body.GetProperty("metadata").GetProperty("user_id").GetString()).IsEqualTo("user-e2e-42");
        await Assert.That(body.GetProperty("thinking").GetProperty("type").GetString()).IsEqualTo("enabled");
        await Assert.That(body.GetProperty("thinking").GetProperty("budget_tokens").GetInt32()).IsEqualTo(1024);
        await Assert.That(body.TryGetProperty("stream", out var streamFlag) && streamFlag.GetBoolean()).IsEqualTo(stream);
    }

    private static MessageCreateParams PassthroughParams() => new()
    {
        Model = "anthropic:claude-sonnet-4-5",
        MaxTokens = 2048,
        Metadata = new Metadata { UserID = "user-e2e-42" },
        Thinking = new ThinkingConfigEnabled(1024),
        Messages = [new UserMessageParam("Hello through the gateway")],
    };

    private static MessageCreateParams SimpleParams(string model) => new()
    {
        Model = model,
        MaxTokens = 10,
        Messages = [new UserMessageParam("Hi")],
    };

    /// <summary>A client of vdm with the SDK's own retries off, so one call is one request and failures are immediate.</summary>
    private static AnthropicClient Client(Uri vdm, RecordingHandler? recorder = null)
    {
        var options = new ClientOptions
        {
            BaseUrl = vdm.GetLeftPart(UriPartial.Authority),
            ApiKey = ClientKey,
            MaxRetries = 0,
            Timeout = TimeSpan.FromSeconds(30),
        };
        if (recorder is not null)
        {
            options = options with { HttpClient = new HttpClient(recorder) };
        }

        return new AnthropicClient(options);
    }

    private static async Task<RunningVdm> StartVdmAsync(IReadOnlyDictionary<string, string> environment)
    {
        var process = VdmProcess.Start(["server", "start", "--port", "0"], environment);
        try
        {
            return new RunningVdm(process, await process.WaitUntilListeningAsync(StartTimeout));
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    private static string Chunk(string delta, string? finishReason) =>
        $$"""data: {"id":"chatcmpl-s","object":"chat.completion.chunk","created":1700000000,"model":"gpt-4o","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{finishReason ?? "null"}}}]}""" + "\n\n";

    private static string Event(string name, string data) => $"event: {name}\ndata: {data}\n\n";

    private static JsonElement Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }

    private sealed class RunningVdm(VdmProcess process, Uri url) : IAsyncDisposable
    {
        public Uri Url { get; } = url;

        public ValueTask DisposeAsync() => process.DisposeAsync();
    }

    /// <summary>Records the requests exactly as the SDK sends them: body and <c>anthropic-version</c>.</summary>
    private sealed class RecordingHandler() : DelegatingHandler(new SocketsHttpHandler())
    {
        public List<string> Bodies { get; } = [];

        public List<string> Versions { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                await request.Content.LoadIntoBufferAsync(cancellationToken);
                var body = Encoding.UTF8.GetString(await request.Content.ReadAsByteArrayAsync(cancellationToken));
                lock (Bodies)
                {
                    Bodies.Add(body);
                    Versions.Add(string.Join(",", request.Headers.TryGetValues("anthropic-version", out var versions) ? versions : []));
                }
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }
}
