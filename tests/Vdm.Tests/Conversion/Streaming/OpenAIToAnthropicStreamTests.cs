using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using Vdm.Conversion;
using Vdm.Conversion.Streaming;
using static Vdm.Tests.Conversion.Streaming.StreamTranscript;

namespace Vdm.Tests.Conversion.Streaming;

public class OpenAIToAnthropicStreamTests
{
    private const string Role = """{"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}""";

    [Test]
    public async Task TranslateAsync_TextAnswer_WritesTheExactAnthropicTranscript()
    {
        var upstream = """
            data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-x","choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-x","choices":[{"index":0,"delta":{"content":"Hel"},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-x","choices":[{"index":0,"delta":{"content":"lo \"é\""},"finish_reason":null}]}

            data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-x","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}

            data: {"id":"c1","object":"chat.completion.chunk","model":"gpt-x","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":3,"total_tokens":23,"prompt_tokens_details":{"cached_tokens":5}}}

            data: [DONE]


            """;

        var output = await TranslateAllWaysAsync(upstream);

        await Assert.That(output).IsEqualTo("""
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_test","type":"message","role":"assistant","model":"sonnet","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}

            event: ping
            data: {"type":"ping"}

            event: content_block_start
            data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}

            event: content_block_delta
            data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"lo \"é\""}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}

            event: message_delta
            data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":15,"output_tokens":3,"cache_read_input_tokens":5,"cache_creation_input_tokens":0}}

            event: message_stop
            data: {"type":"message_stop"}


            """);
    }

    [Test]
    public async Task TranslateAsync_MessageStart_ComesFirstWithCacheFieldsAndTheInputEstimate()
    {
        var output = await TranslateAsync(Encoding.UTF8.GetBytes(Sse("[DONE]")), n => 1 << 20, inputTokens: 42);

        await Assert.That(output).StartsWith("""
            event: message_start
            data: {"type":"message_start","message":{"id":"msg_test","type":"message","role":"assistant","model":"sonnet","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":42,"output_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}}

            event: ping
            data: {"type":"ping"}


            """);
    }

    [Test]
    public async Task TranslateAsync_EveryEvent_IsNamedAfterItsType()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"reasoning_content":"hm"}}]}
            {"choices":[{"index":0,"delta":{"content":"a","tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"f","arguments":"{}"}}]}}]}
            {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
            """));

        var events = output.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        await Assert.That(events.Length).IsEqualTo(13);
        foreach (var item in events)
        {
            var lines = item.Split('\n');
            await Assert.That(lines[1]).StartsWith($"data: {{\"type\":\"{lines[0]["event: ".Length..]}\"");
        }
    }

    [Test]
    public async Task TranslateAsync_RoleOnlyFirstDelta_OpensNoBlock()
    {
        var output = await TranslateAllWaysAsync(Sse(Role + "\n" + """
            {"choices":[{"index":0,"delta":{"content":null},"finish_reason":"stop"}]}
            """));

        await Assert.That(DataLines(output)).IsEqualTo(Head + "\n" + """
            {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":0,"output_tokens":1,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}
            {"type":"message_stop"}
            """);
    }

    [Test]
    [Arguments("reasoning_content")]
    [Arguments("reasoning")]
    public async Task TranslateAsync_ReasoningField_BecomesAThinkingBlockClosedWhenTextStarts(string field)
    {
        var output = await TranslateAllWaysAsync(Sse($$$"""
            {"choices":[{"index":0,"delta":{"{{{field}}}":"Let me think"}}]}
            {"choices":[{"index":0,"delta":{"{{{field}}}":"."}}]}
            {"choices":[{"index":0,"delta":{"content":"Answer"},"finish_reason":"stop"}]}
            """));

        await Assert.That(DataLines(output)).IsEqualTo(Head + "\n" + """
            {"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}
            {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"Let me think"}}
            {"type":"content_block_delta","index":0,"delta":{"type":"thinking_delta","thinking":"."}}
            {"type":"content_block_stop","index":0}
            {"type":"content_block_start","index":1,"content_block":{"type":"text","text":""}}
            {"type":"content_block_delta","index":1,"delta":{"type":"text_delta","text":"Answer"}}
            {"type":"content_block_stop","index":1}
            {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":0,"output_tokens":4,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}
            {"type":"message_stop"}
            """);
    }

    [Test]
    public async Task TranslateAsync_ReasoningDetailsWithSignature_SendsTheSignatureRightBeforeTheStop()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"reasoning_details":[{"type":"reasoning.text","text":"step 1"}]}}]}
            {"choices":[{"index":0,"delta":{"reasoning_details":[{"type":"reasoning.text","text":"","signature":"sig=="}]}}]}
            {"choices":[{"index":0,"delta":{"content":"ok"},"finish_reason":"stop"}]}
            """));

        var message = AnthropicStreamAccumulator.Replay(output);
        await Assert.That(message.Blocks).IsEquivalentTo(["thinking: step 1 | sig==", "text: ok"]);
        await Assert.That(output).Contains("""
            data: {"type":"content_block_delta","index":0,"delta":{"type":"signature_delta","signature":"sig=="}}

            event: content_block_stop
            data: {"type":"content_block_stop","index":0}
            """);
    }

    [Test]
    public async Task TranslateAsync_ReasoningAndReasoningDetailsTogether_AreNotDuplicated()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"reasoning":"why","reasoning_details":[{"type":"reasoning.text","text":"why"}]}}]}
            {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}
            """));

        await Assert.That(AnthropicStreamAccumulator.Replay(output).Blocks).IsEquivalentTo(["thinking: why | "]);
    }

    [Test]
    public async Task TranslateAsync_TextAfterATool_OpensANewTextBlock()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"content":"Before"}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"ls","arguments":"{\"a\":1}"}}]}}]}
            {"choices":[{"index":0,"delta":{"content":"After"}}]}
            {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
            """));

        var message = AnthropicStreamAccumulator.Replay(output);
        await Assert.That(message.Blocks).IsEquivalentTo(["text: Before", "tool_use call_1 ls: {\"a\":1}", "text: After"]);
        await Assert.That(message.StopReason).IsEqualTo("tool_use");
    }

    [Test]
    public async Task TranslateAsync_ContentAndToolCallsInOneChunk_SendsTheTextFirst()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"ls","arguments":""}}],"content":"Looking"}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{}"}}]},"finish_reason":"tool_calls"}]}
            """));

        await Assert.That(DataLines(output)).IsEqualTo(Head + "\n" + """
            {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
            {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Looking"}}
            {"type":"content_block_stop","index":0}
            {"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"call_1","name":"ls","input":{}}}
            {"type":"content_block_delta","index":1,"delta":{"type":"input_json_delta","partial_json":"{}"}}
            {"type":"content_block_stop","index":1}
            {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":0,"output_tokens":2,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}
            {"type":"message_stop"}
            """);
    }

    [Test]
    public async Task TranslateAsync_ContentAndFinishInOneChunk_EmitsTheContentThenFinishes()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"role":"assistant","content":"Whole answer"},"finish_reason":"length"}],"usage":{"prompt_tokens":9,"completion_tokens":2}}
            """));

        var message = AnthropicStreamAccumulator.Replay(output);
        await Assert.That(message.Blocks).IsEquivalentTo(["text: Whole answer"]);
        await Assert.That(message.StopReason).IsEqualTo("max_tokens");
        await Assert.That(message.Usage).IsEqualTo("""{"input_tokens":9,"output_tokens":2,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}""");
    }

    [Test]
    public async Task TranslateAsync_ToolStartWithEmptyArguments_SendsNoEmptyPartialJson()
    {
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"read","arguments":""}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"p\":"}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}}]}}]}
            {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
            """));

        await Assert.That(DataLines(output)).IsEqualTo(Head + "\n" + """
            {"type":"content_block_start","index":0,"content_block":{"type":"tool_use","id":"call_1","name":"read","input":{}}}
            {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"{\"p\":"}}
            {"type":"content_block_delta","index":0,"delta":{"type":"input_json_delta","partial_json":"1}"}}
            {"type":"content_block_stop","index":0}
            {"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"input_tokens":0,"output_tokens":2,"cache_read_input_tokens":0,"cache_creation_input_tokens":0}}
            {"type":"message_stop"}
            """);
    }

    [Test]
    public async Task TranslateAsync_ArgumentsSplitInsideEscapesAndCodePoints_AreForwardedVerbatim()
    {
        // The fragments split the arguments after a backslash, inside \u escapes and between the bytes of "é".
        var output = await TranslateAllWaysAsync(Sse("""
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"w","arguments":"{\"path\":\"C:\\\\"}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"dir\\\\caf\u00e9\",\"q\":\"\\\"x\\u00"}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"e9\"}"}}]}}]}
            {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
            """));

        await Assert.That(output).Contains("""{"type":"input_json_delta","partial_json":"{\"path\":\"C:\\\\"}""");
        await Assert.That(output).Contains("""{"type":"input_json_delta","partial_json":"dir\\\\caf\u00e9\",\"q\":\"\\\"x\\u00"}""");
        await Assert.That(output).Contains("""{"type":"input_json_delta","partial_json":"e9\"}"}""");
        await Assert.That(AnthropicStreamAccumulator.Replay(output).Blocks)
            .IsEquivalentTo(["tool_use call_1 w: {\"path\":\"C:\\\\dir\\\\caf\\u00E9\",\"q\":\"\\u0022x\\u00E9\"}"]);
    }

    [Test]
    public async Task TranslateAsync_EventsOfOneUpstreamRead_AreFlushedTogetherBeforeTheNextWait()
    {
        var upstream = new Pipe();
        var client = new RecordingStream();
        var translation = OpenAIToAnthropicStream.TranslateAsync(
            upstream.Reader.AsStream(), PipeWriter.Create(client), Routed, 0, _ => "msg_test", CancellationToken.None);

        var start = await client.NextFlushAsync();
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(Sse("""
            {"choices":[{"index":0,"delta":{"content":"a"}}]}
            {"choices":[{"index":0,"delta":{"content":"b"}}]}
            """)));
        var burst = await client.NextFlushAsync();
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(Sse("""{"choices":[{"index":0,"delta":{"content":"c"},"finish_reason":"stop"}]}""")));
        var single = await client.NextFlushAsync();
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(Sse("[DONE]")));
        var end = await client.NextFlushAsync();
        await translation.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(DataLines(start)).IsEqualTo(Head);
        await Assert.That(DataLines(burst)).IsEqualTo("""
            {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}
            {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"a"}}
            {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"b"}}
            """);
        await Assert.That(DataLines(single)).IsEqualTo("""
            {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"c"}}
            {"type":"content_block_stop","index":0}
            """);
        await Assert.That(DataLines(end)).EndsWith("""{"type":"message_stop"}""");
    }

    /// <summary>A stream that lets a test await each flush, in order, and see what was written since the one before.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        private readonly Channel<string> _flushes = Channel.CreateUnbounded<string>();
        private int _flushed;

        public Task<string> NextFlushAsync() => _flushes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            var written = GetBuffer().AsSpan(_flushed, (int)Length - _flushed);
            _flushed = (int)Length;
            _flushes.Writer.TryWrite(Encoding.UTF8.GetString(written));
            return Task.CompletedTask;
        }
    }
}
