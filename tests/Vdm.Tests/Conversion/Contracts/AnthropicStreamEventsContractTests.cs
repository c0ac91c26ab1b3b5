using System.Text.Json;
using Vdm.Conversion.Contracts;

namespace Vdm.Tests.Conversion.Contracts;

/// <summary>The Anthropic stream event contracts against vdm's golden stream and every delta kind.</summary>
public class AnthropicStreamEventsContractTests
{
    private static MessageStreamEvent Parse(string json) => JsonSerializer.Deserialize(json, WireJsonContext.Default.MessageStreamEvent)!;

    [Test]
    public async Task MessageStreamEvent_GoldenStream_EveryEventReadsAsItsConcreteRecord()
    {
        var frames = SseData.Read("openai-stream.anthropic.sse");

        var events = frames.Select(f => Parse(f.Data)).ToList();
        var rewritten = events.Select(e => JsonSerializer.SerializeToElement(e, WireJsonContext.Default.MessageStreamEvent)).ToList();

        await Assert.That(events.Count).IsEqualTo(59);
        await Assert.That(events.Any(e => e.IsUnrecognized)).IsFalse();
        await Assert.That(events.Select(e => e.Type)).IsEquivalentTo(frames.Select(f => f.Event));
        await Assert.That(events[0] is MessageStartEvent { Message.Id: "msg_golden", Message.Content.Count: 0 }).IsTrue();
        await Assert.That(events[1]).IsTypeOf<PingEvent>();
        await Assert.That(events[2] is ContentBlockStartEvent { Index: 0, ContentBlock: TextBlock { Text: "" } }).IsTrue();
        await Assert.That(events[3] is ContentBlockDeltaEvent { Delta: TextDelta { Text: "The" } }).IsTrue();
        await Assert.That(events[^3]).IsTypeOf<ContentBlockStopEvent>();
        await Assert.That(events[^2] is MessageDeltaEvent { Delta.StopReason: "end_turn", Usage.OutputTokens: 60, Usage.InputTokens: 21873 }).IsTrue();
        await Assert.That(events[^1]).IsTypeOf<MessageStopEvent>();
        // Same fields and values; the order of properties may differ (vdm's writer puts cache_read before cache_creation).
        await Assert.That(rewritten.Where((e, i) => !JsonElement.DeepEquals(e, JsonElement.Parse(frames[i].Data)))).IsEmpty();
    }

    [Test]
    public async Task ContentBlockDeltaEvent_EachDeltaKind_ReadsItsRecord()
    {
        string[] lines =
        [
            """{"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"a\":"}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"hmm"}}""",
            """{"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"EqQ"}}""",
        ];

        var deltas = lines.Select(l => ((ContentBlockDeltaEvent)Parse(l)).Delta).ToList();

        await Assert.That(deltas[0] is InputJsonDelta { PartialJson: "{\"a\":" }).IsTrue();
        await Assert.That(deltas[1] is ThinkingDelta { Thinking: "hmm" }).IsTrue();
        await Assert.That(deltas[2] is SignatureDelta { Signature: "EqQ" }).IsTrue();
    }

    [Test]
    public async Task ContentBlockDelta_UnknownKind_KeepsTypeAndFields()
    {
        var json = """{"type":"content_block_delta","index":0,"delta":{"type":"citations_delta","citation":{"cited_text":"x"}}}""";

        var delta = ((ContentBlockDeltaEvent)Parse(json)).Delta;

        await Assert.That(delta.IsUnrecognized).IsTrue();
        await Assert.That(delta.Type).IsEqualTo("citations_delta");
        await Assert.That(delta.Extra!["citation"].GetProperty("cited_text").GetString()).IsEqualTo("x");
    }

    [Test]
    public async Task MessageStreamEvent_UnknownType_IsReportedNotDropped()
    {
        var json = """{"type":"message_annotation","payload":[1,2]}""";

        var streamEvent = Parse(json);

        await Assert.That(streamEvent.IsUnrecognized).IsTrue();
        await Assert.That(streamEvent.Type).IsEqualTo("message_annotation");
        await Assert.That(JsonSerializer.Serialize(streamEvent, WireJsonContext.Default.MessageStreamEvent)).IsEqualTo(json);
    }

    [Test]
    public async Task ErrorEvent_Overloaded_ReadsTheError()
    {
        var json = """{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""";

        var streamEvent = Parse(json);

        await Assert.That(streamEvent is ErrorEvent { Error.Type: "overloaded_error", Error.Message: "Overloaded" }).IsTrue();
    }

    [Test]
    public async Task ContentBlockStartEvent_ToolUse_WritesSnakeCaseWithTypeFirst()
    {
        var streamEvent = new ContentBlockStartEvent
        {
            Index = 1,
            ContentBlock = new ToolUseBlock { Id = "toolu_1", Name = "Read", Input = JsonDocument.Parse("{}").RootElement },
        };

        var written = JsonSerializer.Serialize<MessageStreamEvent>(streamEvent, WireJsonContext.Default.MessageStreamEvent);

        await Assert.That(written).IsEqualTo("""{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"Read","input":{}}}""");
    }
}
