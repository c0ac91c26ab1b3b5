using System.IO.Pipelines;
using System.Text;
using Vdm.Conversion;
using Vdm.Conversion.Streaming;
using static Vdm.Tests.Conversion.Streaming.StreamTranscript;

namespace Vdm.Tests.Conversion.Streaming;

/// <summary>Tool ordering, finishing, usage and abnormal ends of <see cref="OpenAIToAnthropicStream"/> (peers.md §3.4).</summary>
public class OpenAIToAnthropicStreamEndTests
{
    [Test]
    public async Task TranslateAsync_ParallelCallsInterleavedByIndex_BecomeSequentialBlocks()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"read","arguments":""}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_b","type":"function","function":{"name":"grep","arguments":""}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"f\":"}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"{\"q\":"}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"function":{"arguments":"2}"}}]}}]}
            {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
            """));

        await Assert.That(DataLines(output)).IsEqualTo(Head + "\n" + """
            {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"call_a","name":"read","input":{}}}
            {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"f\":"}}
            {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"1}"}}
            {"type":"content_block_stop","index":0}
            {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_b","name":"grep","input":{}}}
            {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{\"q\":2}"}}
            {"type":"content_block_stop","index":1}
            {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":0,"output_tokens":4,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}
            {"type":"message_stop"}
            """);
    }

    [Test]
    public async Task TranslateAsync_FirstFragmentWithoutIdAndLateName_MintsAnIdAndDelaysTheStart()
    {
        // Arguments that arrive before the name are buffered and go out with the fragment that completes the start.
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"a\""}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"name":"edit","arguments":":1}"}}]}}]}
            {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
            """));

        await Assert.That(DataLines(output)).IsEqualTo(Head + "\n" + """
            {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"toolu_1","name":"edit","input":{}}}
            {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"a\":1}"}}
            {"type":"content_block_stop","index":0}
            {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":0,"output_tokens":2,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}
            {"type":"message_stop"}
            """);
    }

    [Test]
    public async Task TranslateAsync_NewIdOnAUsedIndex_StartsANewToolBlock()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"a","arguments":"{\"x\":1}"}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_2","function":{"name":"b","arguments":"{\"y\":2}"}}]}}]}
            {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
            """));

        await Assert.That(AnthropicStreamAccumulator.Replay(output).Blocks)
            .IsEquivalentTo(["tool_use call_1 a: {\"x\":1}", "tool_use call_2 b: {\"y\":2}"]);
    }

    [Test]
    public async Task TranslateAsync_ShortenedToolName_IsMappedBackToTheClientName()
    {
        var longName = new string('n', 70);
        var context = Routed with { ToolNames = ToolNameMap.Create([longName]) };
        var upstreamName = context.ToolNames.ToUpstream(longName);

        var output = await TranslateAllWaysAsync(Sse($$$"""
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"{{{upstreamName}}}","arguments":"{}"}}]},"finish_reason":"tool_calls"}]}
            """), context);

        await Assert.That(AnthropicStreamAccumulator.Replay(output).Blocks).IsEquivalentTo([$"tool_use call_1 {longName}: {{}}"]);
    }

    [Test]
    [Arguments("tool_calls", false, "end_turn")]
    [Arguments("stop", true, "tool_use")]
    [Arguments("content_filter", false, "refusal")]
    public async Task TranslateAsync_FinishReason_MapsToTheStopReason(string finishReason, bool withTool, string stopReason)
    {
        var delta = withTool
            ? """{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":"{}"}}]}"""
            : """{"content":"x"}""";

        var output = await TranslateAllWaysAsync(Sse($$$"""
            {"choices":[{"index":0,"delta":{{{delta}}},"finish_reason":"{{{finishReason}}}"}]}
            """));

        await Assert.That(AnthropicStreamAccumulator.Replay(output).StopReason).IsEqualTo(stopReason);
    }

    [Test]
    public async Task TranslateAsync_Refusal_IsTextWithStopReasonRefusal()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"refusal":"I can't help"}}]}
            {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}
            """));

        var message = AnthropicStreamAccumulator.Replay(output);
        await Assert.That(message.Blocks).IsEquivalentTo(["text: I can't help"]);
        await Assert.That(message.StopReason).IsEqualTo("refusal");
    }

    [Test]
    public async Task TranslateAsync_FinishThenUsageChunk_HoldsTheMessageDeltaForTheUsage()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}]}
            {"choices":[],"usage":{"prompt_tokens":100,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":60}}}
            """));

        await Assert.That(AnthropicStreamAccumulator.Replay(output).Usage)
            .IsEqualTo("""{"input_tokens":40,"output_tokens":7,"cache_read_input_tokens":60,"cache_creation_input_tokens":0}""");
    }

    [Test]
    public async Task TranslateAsync_RunningUsageOnEveryChunk_KeepsTheLastNonNull()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"content":"a"}}],"usage":{"prompt_tokens":10,"completion_tokens":1}}
            {"choices":[{"index":0,"delta":{"content":"b"}}],"usage":null}
            {"choices":[{"index":0,"delta":{"content":"c"}}],"usage":{"prompt_tokens":10,"completion_tokens":3}}
            {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}
            [DONE]
            """));

        await Assert.That(AnthropicStreamAccumulator.Replay(output).Usage)
            .IsEqualTo("""{"input_tokens":10,"output_tokens":3,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}""");
    }

    [Test]
    public async Task TranslateAsync_UsageCountsWrittenAsDecimals_AreReadAsWholeNumbers()
    {
        // Some servers write counts as 12.0; the non-streaming reader already accepts them.
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"content":"hi"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12.0,"completion_tokens":3.0,"prompt_tokens_details":{"cached_tokens":2.0}}}
            """));

        await Assert.That(AnthropicStreamAccumulator.Replay(output).Usage)
            .IsEqualTo("""{"input_tokens":10,"output_tokens":3,"cache_read_input_tokens":2,"cache_creation_input_tokens":0}""");
    }

    [Test]
    public async Task TranslateAsync_NoUsageAtAll_EstimatesOutputTokensFromTheStreamedCharacters()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"content":"0123456789abcdefghij"}}]}
            {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}
            [DONE]
            """));

        await Assert.That(AnthropicStreamAccumulator.Replay(output).Usage)
            .IsEqualTo("""{"input_tokens":0,"output_tokens":5,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}""");
    }

    [Test]
    [Arguments("{\"choices\":[],\"usage\":null}", "end_turn")]
    [Arguments("[DONE]", "end_turn")]
    [Arguments("", "end_turn")]
    public async Task TranslateAsync_FinishThenDoneOrEof_FinishesNormally(string after, string stopReason)
    {
        var output = await TranslateAllWaysAsync(Sse("""{"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}]}""" + "\n" + after));

        await Assert.That(AnthropicStreamAccumulator.Replay(output).StopReason).IsEqualTo(stopReason);
        await Assert.That(output).EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    [Test]
    [Arguments("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\n")]
    [Arguments("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"par\"}}]}\n\ndata: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}")]
    public async Task TranslateAsync_EofBeforeFinishReason_EndsWithAnApiErrorNotEndTurn(string upstream)
    {
        var output = await TranslateAllWaysAsync(upstream);

        await Assert.That(DataLines(output)).IsEqualTo(Head + "\n" + """
            {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
            {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"par"}}
            {"type":"error","error":{"type":"api_error","message":"The upstream stream ended unexpectedly."}}
            """);
    }

    [Test]
    [Arguments("{\"error\":{\"message\":\"Rate limit exceeded\",\"code\":429}}", "rate_limit_error", "Rate limit exceeded")]
    [Arguments("{\"error\":{\"message\":\"busy\",\"status\":\"UNAVAILABLE\"}}", "overloaded_error", "busy")]
    [Arguments("{\"error\":{\"message\":\"boom\",\"type\":\"server_error\"}}", "api_error", "boom")]
    [Arguments("{\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"error\"}]}", "api_error", "The upstream provider reported an error.")]
    [Arguments("{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"", "api_error", "The upstream sent malformed JSON in its stream.")]
    public async Task TranslateAsync_InBandErrorAfterContent_EndsWithAMappedErrorAndNothingElse(string chunk, string type, string message)
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"content":"par"}}]}
            """ + "\n" + chunk + "\n" + """
            {"choices":[{"index":0,"delta":{"content":"more"},"finish_reason":"stop"}]}
            [DONE]
            """));

        var result = AnthropicStreamAccumulator.Replay(output);
        await Assert.That(result.Error).IsEqualTo($$"""{"type":"{{type}}","message":"{{message}}"}""");
        await Assert.That(result.Blocks).IsEquivalentTo(["text: par"]);
        await Assert.That(output).DoesNotContain("message_stop");
    }

    [Test]
    public async Task TranslateAsync_SeveralChoicesAndNullChoices_RelayChoiceZeroOnly()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"delta":{"content":"one"},"index":1},{"index":0,"delta":{"content":"zero"}}]}
            {"choices":null}
            {"choices":[{"index":0,"delta":{},"finish_reason":"stop"},{"index":1,"delta":{},"finish_reason":"stop"}]}
            """));

        await Assert.That(AnthropicStreamAccumulator.Replay(output).Blocks).IsEquivalentTo(["text: zero"]);
    }

    [Test]
    public async Task TranslateAsync_EventsAfterTheEnd_AreIgnoredAndNoDoneIsSent()
    {
        var output = await TranslateAllWaysAsync(": keep-alive\n\n: OPENROUTER PROCESSING\n\n" + Sse("""
            {"choices":[{"index":0,"delta":{"content":"x"},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1}}
            {"choices":[{"index":0,"delta":{"content":"late"}}]}
            [DONE]
            """));

        await Assert.That(output).EndsWith("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        await Assert.That(output).DoesNotContain("late");
        await Assert.That(output).DoesNotContain("[DONE]");
    }

    [Test]
    public async Task TranslateAsync_Cancelled_StopsPromptly()
    {
        var upstream = new Pipe();
        using var client = new MemoryStream();
        using var cancellation = new CancellationTokenSource();

        var translation = OpenAIToAnthropicStream.TranslateAsync(upstream.Reader.AsStream(), PipeWriter.Create(client), Routed, cancellation.Token);
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(Sse("""{"choices":[{"index":0,"delta":{"content":"x"}}]}""")));
        await cancellation.CancelAsync();

        await Assert.That(async () => await translation.WaitAsync(TimeSpan.FromSeconds(10))).Throws<OperationCanceledException>();
    }
}
