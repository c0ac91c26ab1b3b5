using System.Text.Json;
using Vdm.Conversion.Contracts;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Conversion.Contracts;

/// <summary>The Anthropic response and error contracts.</summary>
public class AnthropicResponsesContractTests
{
    [Test]
    public async Task MessageResponse_GoldenAnthropicResponse_ParsesAndWritesBackUnchanged()
    {
        var bytes = GoldenFile.ReadInput("openai-response.anthropic.json");

        var message = JsonSerializer.Deserialize(bytes, WireJsonContext.Default.MessageResponse)!;
        var written = JsonSerializer.Serialize(message, WireJsonContext.Default.MessageResponse);

        await Assert.That(message.Id).IsEqualTo("chatcmpl-BENCH0000000000000000000001");
        await Assert.That(message.Type).IsEqualTo("message");
        await Assert.That(message.Role).IsEqualTo("assistant");
        await Assert.That(message.Content.Count).IsEqualTo(1);
        await Assert.That(((TextBlock)message.Content[0]).Text).StartsWith("The failing test");
        await Assert.That(message.StopReason).IsEqualTo("end_turn");
        await Assert.That(message.StopSequence).IsNull();
        await Assert.That(message.Usage.InputTokens).IsEqualTo(21873);
        await Assert.That(message.Usage.OutputTokens).IsEqualTo(60);
        await Assert.That(message.Usage.CacheCreationInputTokens).IsEqualTo(0);
        await Assert.That(message.Usage.CacheReadInputTokens).IsEqualTo(0);
        await Assert.That(written).IsEqualTo(System.Text.Encoding.UTF8.GetString(bytes));
    }

    [Test]
    public async Task MessageResponse_NullStopReason_IsWrittenAsExplicitNull()
    {
        var message = new MessageResponse { Id = "msg_1", Model = "m" };

        var written = JsonSerializer.Serialize(message, WireJsonContext.Default.MessageResponse);

        await Assert.That(written).IsEqualTo(
            """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0}}""");
    }

    [Test]
    public async Task MessageResponse_ServerToolBlocksAndUsageExtras_AreKept()
    {
        var json = """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[{"type":"web_search_tool_result","tool_use_id":"s","content":[]}],"stop_reason":"pause_turn","stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":2,"server_tool_use":{"web_search_requests":1}},"container":null}""";

        var message = JsonSerializer.Deserialize(json, WireJsonContext.Default.MessageResponse)!;

        await Assert.That(message.Content[0].IsUnrecognized).IsTrue();
        await Assert.That(message.Content[0].Type).IsEqualTo("web_search_tool_result");
        await Assert.That(message.Usage.Extra!["server_tool_use"].GetProperty("web_search_requests").GetInt32()).IsEqualTo(1);
        await Assert.That(message.Extra!["container"].ValueKind).IsEqualTo(JsonValueKind.Null);
        await Assert.That(JsonSerializer.Serialize(message, WireJsonContext.Default.MessageResponse)).IsEqualTo(json);
    }

    [Test]
    public async Task ErrorResponse_AnthropicBody_RoundTrips()
    {
        var json = """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"},"request_id":"req_1"}""";

        var error = JsonSerializer.Deserialize(json, WireJsonContext.Default.ErrorResponse)!;

        await Assert.That(error.Error.Type).IsEqualTo("overloaded_error");
        await Assert.That(error.Error.Message).IsEqualTo("Overloaded");
        await Assert.That(error.RequestId).IsEqualTo("req_1");
        await Assert.That(JsonSerializer.Serialize(error, WireJsonContext.Default.ErrorResponse)).IsEqualTo(json);
    }

    [Test]
    public async Task ErrorResponse_WithoutRequestId_OmitsIt()
    {
        var error = new ErrorResponse { Error = new ApiError { Type = "invalid_request_error", Message = "bad" } };

        var written = JsonSerializer.Serialize(error, WireJsonContext.Default.ErrorResponse);

        await Assert.That(written).IsEqualTo("""{"type":"error","error":{"type":"invalid_request_error","message":"bad"}}""");
    }
}
