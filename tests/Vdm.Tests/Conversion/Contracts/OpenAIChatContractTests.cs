using System.Text.Json;
using Vdm.Conversion.Contracts;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Conversion.Contracts;

/// <summary>The OpenAI request contracts against vdm's golden converted request and hand-written edge cases.</summary>
public class OpenAIChatContractTests
{
    private static ChatCompletionRequest Parse(string json) => JsonSerializer.Deserialize(json, WireJsonContext.Default.ChatCompletionRequest)!;

    [Test]
    public async Task ChatCompletionRequest_GoldenConvertedRequest_ParsesRolesAndToolCalls()
    {
        var bytes = GoldenFile.ReadInput("claude-code-request.openai.json");

        var request = JsonSerializer.Deserialize(bytes, WireJsonContext.Default.ChatCompletionRequest)!;
        var firstCall = request.Messages[2].ToolCalls![0];

        await Assert.That(request.Messages.Take(4).Select(m => m.Role)).IsEquivalentTo(["system", "user", "assistant", "tool"]);
        await Assert.That(request.Messages.Count(m => m.Role == "tool")).IsEqualTo(9);
        await Assert.That(request.Tools!.Count).IsEqualTo(15);
        await Assert.That(request.Tools[0].Function.Parameters!.Value.ValueKind).IsEqualTo(JsonValueKind.Object);
        await Assert.That(request.MaxCompletionTokens).IsEqualTo(32000);
        await Assert.That(firstCall.Id).IsEqualTo("toolu_010000000000000000000001");
        await Assert.That(firstCall.Function!.Name).IsEqualTo("Glob");
        await Assert.That(firstCall.Function.Arguments).IsEqualTo("""{"pattern":"**/*Tokenizer*.cs"}""");
        await Assert.That(request.Messages[3].ToolCallId).IsEqualTo("toolu_010000000000000000000001");
        await Assert.That(request.Messages.All(m => m.Extra is null)).IsTrue();
    }

    [Test]
    public async Task ToolChoice_StringOrObject_ReadsAndWritesEachForm()
    {
        var mode = """{"model":"m","messages":[],"tool_choice":"required"}""";
        var named = """{"model":"m","messages":[],"tool_choice":{"type":"function","function":{"name":"Read"}}}""";

        var modeRequest = Parse(mode);
        var namedRequest = Parse(named);

        await Assert.That(modeRequest.ToolChoice!.Text).IsEqualTo("required");
        await Assert.That(namedRequest.ToolChoice!.Value!.Function!.Name).IsEqualTo("Read");
        await Assert.That(JsonSerializer.Serialize(modeRequest, WireJsonContext.Default.ChatCompletionRequest)).IsEqualTo(mode);
        await Assert.That(JsonSerializer.Serialize(namedRequest, WireJsonContext.Default.ChatCompletionRequest)).IsEqualTo(named);
    }

    [Test]
    public async Task ChatMessage_ContentStringOrParts_ReadsEachForm()
    {
        var json = """
            {"model":"m","messages":[
              {"role":"developer","content":"rules"},
              {"role":"user","content":[{"type":"text","text":"look"},{"type":"image_url","image_url":{"url":"data:image/png;base64,AA==","detail":"low"}},{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]},
              {"role":"assistant","content":null,"reasoning_content":"think","tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{}"},"extra_content":{"google":{"thought_signature":"s"}}}]}
            ],"stop":"END"}
            """;

        var request = Parse(json);
        var parts = request.Messages[1].Content!.Value!;

        await Assert.That(request.Messages[0].Content!.Text).IsEqualTo("rules");
        await Assert.That(parts[1].ImageUrl!.Detail).IsEqualTo("low");
        await Assert.That(parts[2].Extra!["input_audio"].GetProperty("format").GetString()).IsEqualTo("wav");
        await Assert.That(request.Messages[2].Content).IsNull();
        await Assert.That(request.Messages[2].ReasoningContent).IsEqualTo("think");
        await Assert.That(request.Messages[2].ToolCalls![0].Extra!.ContainsKey("extra_content")).IsTrue();
        await Assert.That(request.Stop!.Text).IsEqualTo("END");
    }

    [Test]
    public async Task ChatCompletionRequest_UnknownFields_SurviveARoundTrip()
    {
        var json = """{"model":"m","messages":[{"role":"user","content":"hi","cache_hint":true}],"stop":["a","b"],"stream":true,"stream_options":{"include_usage":true},"seed":7,"response_format":{"type":"json_object"}}""";

        var request = Parse(json);
        var written = JsonSerializer.Serialize(request, WireJsonContext.Default.ChatCompletionRequest);

        await Assert.That(request.Extra!.Keys).IsEquivalentTo(["seed", "response_format"]);
        await Assert.That(request.Stop!.Value).IsEquivalentTo(["a", "b"]);
        await Assert.That(request.StreamOptions!.IncludeUsage).IsTrue();
        await Assert.That(written).IsEqualTo(json);
    }

    [Test]
    public async Task ChatCompletionRequest_Serialize_UsesSnakeCaseAndOmitsNulls()
    {
        var request = new ChatCompletionRequest
        {
            Model = "gpt-4o",
            Messages = [new ChatMessage { Role = "tool", ToolCallId = "c1", Content = new() { Text = "done" } }],
            MaxCompletionTokens = 100,
            ParallelToolCalls = false,
            ReasoningEffort = "low",
        };

        var written = JsonSerializer.Serialize(request, WireJsonContext.Default.ChatCompletionRequest);

        await Assert.That(written).IsEqualTo(
            """{"model":"gpt-4o","messages":[{"role":"tool","content":"done","tool_call_id":"c1"}],"max_completion_tokens":100,"parallel_tool_calls":false,"reasoning_effort":"low"}""");
    }
}
