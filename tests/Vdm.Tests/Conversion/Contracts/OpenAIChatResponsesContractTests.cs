using System.Text.Json;
using Vdm.Conversion.Contracts;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Conversion.Contracts;

/// <summary>The OpenAI response, chunk and error contracts.</summary>
public class OpenAIChatResponsesContractTests
{
    [Test]
    public async Task ChatCompletion_GoldenResponse_ParsesMessageUsageAndExtras()
    {
        var bytes = GoldenFile.ReadInput("openai-response.json");

        var completion = JsonSerializer.Deserialize(bytes, WireJsonContext.Default.ChatCompletion)!;
        var choice = completion.Choices[0];

        await Assert.That(completion.Object).IsEqualTo("chat.completion");
        await Assert.That(completion.Created).IsEqualTo(1735689600L);
        await Assert.That(completion.SystemFingerprint).IsEqualTo("fp_bench0001");
        await Assert.That(choice.Message.Role).IsEqualTo("assistant");
        await Assert.That(choice.Message.Content!.Text).StartsWith("The failing test");
        await Assert.That(choice.Message.Extra!["annotations"].GetArrayLength()).IsEqualTo(0);
        await Assert.That(choice.FinishReason).IsEqualTo("stop");
        await Assert.That(choice.Extra!["logprobs"].ValueKind).IsEqualTo(JsonValueKind.Null);
        await Assert.That(completion.Usage!.PromptTokens).IsEqualTo(21873);
        await Assert.That(completion.Usage.PromptTokensDetails!.CachedTokens).IsEqualTo(0);
        await Assert.That(completion.Usage.CompletionTokensDetails!.Extra!.ContainsKey("accepted_prediction_tokens")).IsTrue();
    }

    [Test]
    public async Task ChatCompletionChunk_GoldenStream_EveryChunkParses()
    {
        var frames = SseData.Read("openai-stream.sse").Where(f => f.Data != "[DONE]").ToList();

        var chunks = frames.Select(f => JsonSerializer.Deserialize(f.Data, WireJsonContext.Default.ChatCompletionChunk)!).ToList();
        var text = string.Concat(chunks.SelectMany(c => c.Choices!).Select(c => c.Delta.Content));

        await Assert.That(chunks.Count).IsEqualTo(55);
        await Assert.That(chunks.All(c => c.Object == "chat.completion.chunk" && c.Id == "chatcmpl-BENCH0000000000000000000002")).IsTrue();
        await Assert.That(chunks[0].Choices![0].Delta.Role).IsEqualTo("assistant");
        await Assert.That(text).StartsWith("The failing test");
        await Assert.That(chunks[^1].Choices![0].FinishReason).IsEqualTo("stop");
        await Assert.That(chunks[^1].Usage!.CompletionTokens).IsEqualTo(60);
    }

    [Test]
    public async Task ChatCompletionChunk_ToolCallFragmentsAndReasoning_Parse()
    {
        var json = """{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"reasoning_content":"r","reasoning_details":[{"type":"reasoning.text"}],"tool_calls":[{"index":1,"id":"call_1","type":"function","function":{"name":"f","arguments":""}}]},"finish_reason":null}]}""";

        var chunk = JsonSerializer.Deserialize(json, WireJsonContext.Default.ChatCompletionChunk)!;
        var delta = chunk.Choices![0].Delta;

        await Assert.That(delta.ReasoningContent).IsEqualTo("r");
        await Assert.That(delta.Extra!.ContainsKey("reasoning_details")).IsTrue();
        await Assert.That(delta.ToolCalls![0].Index).IsEqualTo(1);
        await Assert.That(delta.ToolCalls[0].Function!.Name).IsEqualTo("f");
        // Extension data is written after the modelled fields, and the null finish_reason is omitted.
        await Assert.That(JsonElement.DeepEquals(
            JsonSerializer.SerializeToElement(chunk, WireJsonContext.Default.ChatCompletionChunk),
            JsonElement.Parse(json.Replace(",\"finish_reason\":null", "", StringComparison.Ordinal)))).IsTrue();
    }

    [Test]
    public async Task ChatCompletionChunk_UsageChunkWithNullChoices_Parses()
    {
        var json = """{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":null,"usage":{"prompt_tokens":3,"completion_tokens":4,"total_tokens":7}}""";

        var chunk = JsonSerializer.Deserialize(json, WireJsonContext.Default.ChatCompletionChunk)!;

        await Assert.That(chunk.Choices).IsNull();
        await Assert.That(chunk.Usage!.TotalTokens).IsEqualTo(7);
    }

    [Test]
    public async Task OpenAIErrorResponse_StringOrNumberCode_Parses()
    {
        var openAI = """{"error":{"message":"Incorrect API key","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""";
        var compatible = """{"error":{"message":"busy","type":"server_error","code":503},"request_id":"r"}""";

        var first = JsonSerializer.Deserialize(openAI, WireJsonContext.Default.OpenAIErrorResponse)!;
        var second = JsonSerializer.Deserialize(compatible, WireJsonContext.Default.OpenAIErrorResponse)!;

        await Assert.That(first.Error.Code!.Value.GetString()).IsEqualTo("invalid_api_key");
        await Assert.That(first.Error.Param).IsNull();
        await Assert.That(second.Error.Code!.Value.GetInt32()).IsEqualTo(503);
        await Assert.That(second.Extra!["request_id"].GetString()).IsEqualTo("r");
    }
}
