using System.ClientModel;
using System.ClientModel.Primitives;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using static Vdm.EndToEnd.StreamText;

using static Vdm.EndToEnd.TestProviders;

namespace Vdm.EndToEnd;

/// <summary>
/// The official OpenAI .NET SDK against the published binary's <c>/v1/chat/completions</c>, with a fake OpenAI-format
/// provider behind it: what any OpenAI client sees when its base URL is vdm. Each test has its own provider, vdm and client.
/// </summary>
public class OpenAISdkTests
{

    [Test]
    public async Task CompleteChat_Text_ReturnsContentFinishReasonAndUsage()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson("""
            {"id":"chatcmpl-o1","object":"chat.completion","created":1700000000,"model":"gpt-4o-2024-08-06",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello from the fake provider!"},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":12,"completion_tokens":6,"total_tokens":18}}
            """);
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));
        var client = Client(vdm, "openai:gpt-4o");

        ChatCompletion completion = await client.CompleteChatAsync(
            [new SystemChatMessage("Be brief."), new UserChatMessage("Say hello")],
            new ChatCompletionOptions { MaxOutputTokenCount = 100, Temperature = 0.5f });

        await Assert.That(completion.Id).IsEqualTo("chatcmpl-o1");
        await Assert.That(completion.Content.Count).IsEqualTo(1);
        await Assert.That(completion.Content[0].Text).IsEqualTo("Hello from the fake provider!");
        await Assert.That(completion.FinishReason).IsEqualTo(ChatFinishReason.Stop);
        await Assert.That(completion.Model).IsEqualTo("gpt-4o-2024-08-06");
        await Assert.That(completion.Usage.InputTokenCount).IsEqualTo(12);
        await Assert.That(completion.Usage.OutputTokenCount).IsEqualTo(6);
        await Assert.That(completion.Usage.TotalTokenCount).IsEqualTo(18);

        var sent = provider.Received.Single();
        await Assert.That(sent.Path).IsEqualTo("/v1/chat/completions");
        await Assert.That(sent.Header("authorization")).IsEqualTo($"Bearer {OpenAIKey}");
        var body = sent.Json;
        await Assert.That(body.GetProperty("model").GetString()).IsEqualTo("gpt-4o");
        await Assert.That(body.GetProperty("max_completion_tokens").GetInt32()).IsEqualTo(100);
        await Assert.That(body.GetProperty("temperature").GetDouble()).IsEqualTo(0.5);
        var messages = body.GetProperty("messages");
        await Assert.That(messages.GetArrayLength()).IsEqualTo(2);
        await Assert.That(messages[0].GetProperty("role").GetString()).IsEqualTo("system");
        await Assert.That(messages[1].GetProperty("role").GetString()).IsEqualTo("user");
        await Assert.That(messages[1].GetProperty("content").GetString()).IsEqualTo("Say hello");
    }

    [Test]
    public async Task CompleteChatStreaming_Text_AssemblesTheDeltasAndReportsUsage()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenStream(
            Chunk("""{"role":"assistant","content":""}"""),
            Chunk("""{"content":"Hel"}"""),
            Chunk("""{"content":"lo, "}"""),
            Chunk("""{"content":"world"}""", "\"stop\""),
            UsageChunk(7, 3),
            Done);
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));
        var client = Client(vdm, "openai:gpt-4o");

        var text = new System.Text.StringBuilder();
        var deltas = 0;
        ChatFinishReason? finishReason = null;
        ChatTokenUsage? usage = null;
        await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("Greet the world")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
                deltas += part.Text.Length > 0 ? 1 : 0;
            }

            finishReason ??= update.FinishReason;
            usage ??= update.Usage;
        }

        await Assert.That(text.ToString()).IsEqualTo("Hello, world");
        await Assert.That(deltas).IsEqualTo(3);
        await Assert.That(finishReason).IsEqualTo(ChatFinishReason.Stop);
        await Assert.That(usage).IsNotNull();
        await Assert.That(usage!.InputTokenCount).IsEqualTo(7);
        await Assert.That(usage.OutputTokenCount).IsEqualTo(3);
        await Assert.That(usage.TotalTokenCount).IsEqualTo(10);

        var sent = provider.Received.Single().Json;
        await Assert.That(sent.GetProperty("model").GetString()).IsEqualTo("gpt-4o");
        await Assert.That(sent.GetProperty("stream").GetBoolean()).IsTrue();
        await Assert.That(sent.GetProperty("stream_options").GetProperty("include_usage").GetBoolean()).IsTrue();
    }

    [Test]
    public async Task CompleteChat_ToolCall_RoundTripsTheCallAndItsResult()
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
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));
        var client = Client(vdm, "openai:gpt-4o");
        var options = new ChatCompletionOptions
        {
            Tools =
            {
                ChatTool.CreateFunctionTool("get_weather", "Weather forecast for a city", BinaryData.FromString(
                    """{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer"}},"required":["city"]}""")),
            },
        };
        List<ChatMessage> conversation = [new UserChatMessage("Weather in Paris for two days?")];

        ChatCompletion first = await client.CompleteChatAsync(conversation, options);

        await Assert.That(first.FinishReason).IsEqualTo(ChatFinishReason.ToolCalls);
        await Assert.That(first.ToolCalls.Count).IsEqualTo(1);
        var call = first.ToolCalls[0];
        await Assert.That(call.Id).IsEqualTo("call_w42");
        await Assert.That(call.FunctionName).IsEqualTo("get_weather");
        using (var arguments = JsonDocument.Parse(call.FunctionArguments))
        {
            await Assert.That(arguments.RootElement.GetProperty("city").GetString()).IsEqualTo("Paris");
            await Assert.That(arguments.RootElement.GetProperty("days").GetInt32()).IsEqualTo(2);
        }

        conversation.Add(new AssistantChatMessage(first));
        conversation.Add(new ToolChatMessage(call.Id, "Sunny, 21 °C both days"));
        ChatCompletion second = await client.CompleteChatAsync(conversation, options);

        await Assert.That(second.Content[0].Text).IsEqualTo("Sunny, 21 °C.");
        await Assert.That(provider.Received.Count).IsEqualTo(2);
        var firstSent = provider.Received.First().Json;
        var tool = firstSent.GetProperty("tools")[0];
        await Assert.That(tool.GetProperty("type").GetString()).IsEqualTo("function");
        await Assert.That(tool.GetProperty("function").GetProperty("name").GetString()).IsEqualTo("get_weather");
        await Assert.That(tool.GetProperty("function").GetProperty("parameters").GetProperty("required")[0].GetString()).IsEqualTo("city");

        var messages = provider.Received.Last().Json.GetProperty("messages");
        await Assert.That(messages.GetArrayLength()).IsEqualTo(3);
        await Assert.That(messages[1].GetProperty("role").GetString()).IsEqualTo("assistant");
        var sentCall = messages[1].GetProperty("tool_calls")[0];
        await Assert.That(sentCall.GetProperty("id").GetString()).IsEqualTo("call_w42");
        await Assert.That(sentCall.GetProperty("function").GetProperty("name").GetString()).IsEqualTo("get_weather");
        await Assert.That(sentCall.GetProperty("function").GetProperty("arguments").GetString()).IsEqualTo("""{"city":"Paris","days":2}""");
        await Assert.That(messages[2].GetProperty("role").GetString()).IsEqualTo("tool");
        await Assert.That(messages[2].GetProperty("tool_call_id").GetString()).IsEqualTo("call_w42");
        await Assert.That(messages[2].GetProperty("content").GetString()).IsEqualTo("Sunny, 21 °C both days");
    }

    [Test]
    public async Task CompleteChat_AliasedModelNames_ReachTheAliasTargets()
    {
        await using var openai = await FakeProvider.StartAsync();
        await using var groq = await FakeProvider.StartAsync();
        openai.ThenJson(TextCompletion("from openai"));
        groq.ThenJson(TextCompletion("from groq"));
        await using var vdm = await GatewayUnderTest.StartAsync(new Dictionary<string, string>(OpenAIEnvironment(openai))
        {
            ["GROQ_API_KEY"] = "gsk-static",
            ["GROQ_BASE_URL"] = groq.BaseUrl("/v1"),
            ["VDM_DEFAULT_PROVIDER"] = "openai",
            ["VDM_ALIAS_FAST"] = "groq:llama-3.1-8b-instant",
            ["OPENAI_ALIAS_SMART"] = "gpt-4.1",
        });

        ChatCompletion fast = await Client(vdm, "my-fast-model").CompleteChatAsync([new UserChatMessage("Hi")]);
        ChatCompletion smart = await Client(vdm, "openai:smart").CompleteChatAsync([new UserChatMessage("Hi")]);

        await Assert.That(fast.Content[0].Text).IsEqualTo("from groq");
        await Assert.That(smart.Content[0].Text).IsEqualTo("from openai");
        var toGroq = groq.Received.Single();
        await Assert.That(toGroq.Json.GetProperty("model").GetString()).IsEqualTo("llama-3.1-8b-instant");
        await Assert.That(toGroq.Header("authorization")).IsEqualTo("Bearer gsk-static");
        await Assert.That(openai.Received.Single().Json.GetProperty("model").GetString()).IsEqualTo("gpt-4.1");
    }

    // :: Errors

    [Test]
    [Arguments(400, "invalid_request_error", "context_length_exceeded", "This model's maximum context length is 128000 tokens.")]
    [Arguments(401, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: sk-opena***atic.")]
    [Arguments(429, "requests", "rate_limit_exceeded", "Rate limit reached for gpt-4o on requests per min.")]
    [Arguments(500, "server_error", null, "The server had an error while processing your request.")]
    public async Task CompleteChat_ProviderError_ThrowsClientResultExceptionWithTheStatusAndOpenAIError(
        int status, string type, string? code, string message)
    {
        await using var provider = await FakeProvider.StartAsync();
        var codeJson = code is null ? "null" : $"\"{code}\"";
        provider.ThenJson($$$"""{"error":{"message":"{{{message}}}","type":"{{{type}}}","param":null,"code":{{{codeJson}}}}}""", status);
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));
        var client = Client(vdm, "openai:gpt-4o");

        var exception = await Assert.ThrowsExactlyAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("Hi")]));

        await Assert.That(exception!.Status).IsEqualTo(status);
        await Assert.That(exception.Message).Contains(message);
        var error = ErrorOf(exception);
        await Assert.That(error.GetProperty("type").GetString()).IsEqualTo(type);
        await Assert.That(error.GetProperty("code").GetString()).IsEqualTo(code);
        // A refused key (401, 429) is the gateway's credentials failing, not the client's: the message says so.
        var expected = status is 401 or 429
            ? $"the gateway's upstream credentials for provider 'openai' failed (1 key tried; upstream status {status}): {message}"
            : message;
        await Assert.That(error.GetProperty("message").GetString()).IsEqualTo(expected);
        await Assert.That(provider.Received.Count).IsEqualTo(1);
    }

    [Test]
    public async Task CompleteChat_UnknownProviderPrefix_ThrowsBadRequestInOpenAIShapeWithoutCallingAProvider()
    {
        await using var provider = await FakeProvider.StartAsync();
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));
        var client = Client(vdm, "nope:model");

        var exception = await Assert.ThrowsExactlyAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("Hi")]));

        await Assert.That(exception!.Status).IsEqualTo(400);
        var error = ErrorOf(exception);
        await Assert.That(error.GetProperty("type").GetString()).IsEqualTo("invalid_request_error");
        await Assert.That(error.GetProperty("message").GetString()).Contains("'nope'");
        await Assert.That(provider.Received).IsEmpty();
    }

    [Test]
    public async Task CompleteChatStreaming_ProviderDropsTheConnectionMidStream_TheEnumerationThrows()
    {
        await using var provider = await FakeProvider.StartAsync();
        var textArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.ThenStreamThenDrop(
            textArrived.Task,
            Chunk("""{"role":"assistant","content":""}"""),
            Chunk("""{"content":"The answer is"}"""));
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));
        var client = Client(vdm, "openai:gpt-4o");
        var text = new System.Text.StringBuilder();

        // The SDK must not take the broken answer for a whole one. It skips a data: {"error":…} line (it deserializes it
        // as an empty update) and stops quietly at the end of the body, [DONE] or not: only a failed read makes it throw.
        var exception = await Assert.ThrowsAsync<Exception>(async () =>
        {
            await foreach (var update in client.CompleteChatStreamingAsync([new UserChatMessage("What is the answer?")]))
            {
                foreach (var part in update.ContentUpdate)
                {
                    text.Append(part.Text);
                    textArrived.TrySetResult();
                }
            }
        });

        await Assert.That(exception).IsNotNull();
        await Assert.That(text.ToString()).IsEqualTo("The answer is");
    }

    [Test]
    public async Task ChatCompletionsStream_ProviderDropsTheConnectionMidStream_EndsWithAnInBandError()
    {
        await using var provider = await FakeProvider.StartAsync();
        var textArrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        provider.ThenStreamThenDrop(textArrived.Task, Chunk("""{"role":"assistant","content":"The answer is"}"""));
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));

        var lines = await ReadStreamLinesAsync(vdm, textArrived);

        await Assert.That(lines.Count).IsEqualTo(2);
        await Assert.That(lines[0]).Contains("The answer is");
        using var error = JsonDocument.Parse(lines[1]["data: ".Length..]);
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("api_error");
        await Assert.That(error.RootElement.GetProperty("error").GetProperty("message").GetString())
            .StartsWith("the upstream stream of provider 'openai' failed: ");
    }

    [Test]
    public async Task ChatCompletionsStream_ProviderEndsBeforeDoneAndFinishReason_EndsWithAnInBandError()
    {
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenStream(Chunk("""{"role":"assistant","content":"The answer is"}"""));
        await using var vdm = await GatewayUnderTest.StartAsync(OpenAIEnvironment(provider));

        var lines = await ReadStreamLinesAsync(vdm, textArrived: null);

        // A cut answer must not end like a whole one: as on /v1/messages, an early end is an error (docs/resilience.md).
        await Assert.That(lines[0]).Contains("The answer is");
        await Assert.That(lines.Count).IsEqualTo(2);
        await Assert.That(lines[^1]).StartsWith("""data: {"error":""");
    }

    // :: PROXY_API_KEY

    [Test]
    public async Task CompleteChat_ProxyKeyAsTheSdkKey_IsAcceptedAndNeverForwarded()
    {
        const string proxyKey = "vdm-proxy-secret";
        await using var provider = await FakeProvider.StartAsync();
        provider.ThenJson(TextCompletion("allowed"));
        await using var vdm = await GatewayUnderTest.StartAsync(new Dictionary<string, string>(OpenAIEnvironment(provider)) { ["PROXY_API_KEY"] = proxyKey });

        ChatCompletion completion = await Client(vdm, "openai:gpt-4o", proxyKey).CompleteChatAsync([new UserChatMessage("Hi")]);

        await Assert.That(completion.Content[0].Text).IsEqualTo("allowed");
        var sent = provider.Received.Single();
        await Assert.That(sent.Header("authorization")).IsEqualTo($"Bearer {OpenAIKey}");
        await Assert.That(string.Join("\n", sent.Headers.Values)).DoesNotContain(proxyKey);
    }

    [Test]
    public async Task CompleteChat_WrongProxyKey_ThrowsUnauthorizedWithoutCallingAProvider()
    {
        await using var provider = await FakeProvider.StartAsync();
        await using var vdm = await GatewayUnderTest.StartAsync(new Dictionary<string, string>(OpenAIEnvironment(provider)) { ["PROXY_API_KEY"] = "vdm-proxy-secret" });
        var client = Client(vdm, "openai:gpt-4o", "not-the-proxy-key");

        var exception = await Assert.ThrowsExactlyAsync<ClientResultException>(() => client.CompleteChatAsync([new UserChatMessage("Hi")]));

        await Assert.That(exception!.Status).IsEqualTo(401);
        var error = ErrorOf(exception);
        await Assert.That(error.GetProperty("type").GetString()).IsEqualTo("authentication_error");
        await Assert.That(error.GetProperty("message").GetString()).Contains("PROXY_API_KEY");
        await Assert.That(provider.Received).IsEmpty();
    }

    // :: Helpers

    /// <summary>The <c>error</c> object of the body the exception was raised for.</summary>
    private static JsonElement ErrorOf(ClientResultException exception)
    {
        var body = exception.GetRawResponse()?.Content ?? throw new InvalidOperationException("the exception carries no response");
        using var document = JsonDocument.Parse(body);
        return document.RootElement.GetProperty("error").Clone();
    }

    /// <summary>
    /// Streams a chat completion from vdm with plain HTTP and returns its non-empty lines, completing
    /// <paramref name="textArrived"/> once the text has come.
    /// </summary>
    private static async Task<List<string>> ReadStreamLinesAsync(GatewayUnderTest vdm, TaskCompletionSource? textArrived)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(vdm.Url, "/v1/chat/completions"))
        {
            Content = new StringContent("""{"model":"openai:gpt-4o","stream":true,"messages":[{"role":"user","content":"What is the answer?"}]}""",
                System.Text.Encoding.UTF8, "application/json"),
        };
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await Assert.That((int)response.StatusCode).IsEqualTo(200);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        var lines = new List<string>();
        IOException? cutOff = null;
        try
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                if (line.Length > 0)
                {
                    lines.Add(line);
                }

                if (line.Contains("The answer is", StringComparison.Ordinal))
                {
                    textArrived?.TrySetResult();
                }
            }
        }
        catch (IOException exception)
        {
            cutOff = exception;
        }

        // After its error line a failed stream is cut off, not ended: a client that reads past in-band errors still fails.
        await Assert.That(cutOff).IsNotNull();
        return lines;
    }

    /// <summary>A chat client of vdm for <paramref name="model"/>, with the SDK's own retries off so one call is one request.</summary>
    private static ChatClient Client(GatewayUnderTest vdm, string model, string apiKey = ClientKey) =>
        new(model, new ApiKeyCredential(apiKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(vdm.Url, "/v1"),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = TimeSpan.FromSeconds(30),
        });
}
