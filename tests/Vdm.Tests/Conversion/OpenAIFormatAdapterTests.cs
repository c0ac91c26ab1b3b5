using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Vdm.Conversion;
using Vdm.Tests.Conversion.Streaming;

namespace Vdm.Tests.Conversion;

public class OpenAIFormatAdapterTests
{
    private const string LongTool = "mcp__a_server_with_a_long_name__and_a_tool_with_an_even_longer_name_x";

    private static ConversionContext NewContext() => new("smart", "gpt-4o", "openai");

    [Test]
    public async Task For_EachFormat_GivesItsAdapter()
    {
        await Assert.That(FormatAdapters.For(ApiFormat.OpenAI)).IsSameReferenceAs(OpenAIFormatAdapter.Instance);
        await Assert.That(FormatAdapters.For(ApiFormat.Anthropic)).IsSameReferenceAs(AnthropicPassthroughAdapter.Instance);
        await Assert.That(OpenAIFormatAdapter.Instance.MessagesPath).IsEqualTo("chat/completions");
    }

    [Test]
    public async Task ToolLoop_ShortenedToolName_ComesBackAsTheClientWroteIt()
    {
        var context = NewContext();
        var request = new ArrayBufferWriter<byte>();
        OpenAIFormatAdapter.Instance.WriteRequest(Encoding.UTF8.GetBytes(
            """{"model":"smart","max_tokens":100,"tools":[{"name":"LONG","input_schema":{"type":"object","properties":{}}}],"messages":[{"role":"user","content":"go"}]}""".Replace("LONG", LongTool, StringComparison.Ordinal)),
            context, request);
        var upstreamName = context.ToolNames.ToUpstream(LongTool);
        var response = new ArrayBufferWriter<byte>();

        var error = OpenAIFormatAdapter.Instance.WriteResponse(Encoding.UTF8.GetBytes(
            """{"id":"chatcmpl-1","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"SHORT","arguments":"{\"q\":1}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":10,"completion_tokens":5}}""".Replace("SHORT", upstreamName, StringComparison.Ordinal)),
            context, response);
        var body = Encoding.UTF8.GetString(response.WrittenSpan);

        await Assert.That(error).IsNull();
        await Assert.That(Encoding.UTF8.GetString(request.WrittenSpan)).Contains($"\"name\":\"{upstreamName}\"");
        await Assert.That(body).Contains($"\"name\":\"{LongTool}\"");
        await Assert.That(body).Contains("\"stop_reason\":\"tool_use\"");
    }

    [Test]
    public async Task WriteResponseAsStream_JsonAnswerToAStreamingRequest_AccumulatesToTheSameMessage()
    {
        const string upstream = """
            {"id":"chatcmpl-9","choices":[{"index":0,"message":{"role":"assistant","reasoning_content":"think","content":"Hello \"there\" é",
             "tool_calls":[{"id":"call_1","type":"function","function":{"name":"Read","arguments":"{\"path\":\"/a b\"}"}}]},"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":30,"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":10}}}
            """;
        var stream = new ArrayBufferWriter<byte>();

        var error = OpenAIFormatAdapter.Instance.WriteResponseAsStream(Encoding.UTF8.GetBytes(upstream), NewContext(), stream);
        var message = AnthropicStreamAccumulator.Replay(Encoding.UTF8.GetString(stream.WrittenSpan));

        await Assert.That(error).IsNull();
        await Assert.That(message.Blocks).IsEquivalentTo(["thinking: think | ", "text: Hello \"there\" é", "tool_use call_1 Read: {\"path\":\"/a b\"}"]);
        await Assert.That(message.StopReason).IsEqualTo("tool_use");
        await Assert.That(message.Usage).IsEqualTo("{\"input_tokens\":20,\"output_tokens\":7,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":10}");
    }

    [Test]
    public async Task WriteResponseAsStream_InvalidUpstreamJson_IsAnErrorAndWritesNothing()
    {
        var stream = new ArrayBufferWriter<byte>();

        var error = OpenAIFormatAdapter.Instance.WriteResponseAsStream("{\"choices\":["u8.ToArray(), NewContext(), stream);

        await Assert.That(error?.Type).IsEqualTo("api_error");
        await Assert.That(stream.WrittenCount).IsEqualTo(0);
    }

    [Test]
    public async Task PassthroughWriteResponseAsStream_AnthropicMessage_AccumulatesToTheSameMessage()
    {
        const string message = """{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[{"type":"text","text":"Hi"},{"type":"tool_use","id":"toolu_1","name":"Bash","input":{"command":"ls"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":5,"output_tokens":2}}""";
        var stream = new ArrayBufferWriter<byte>();

        var error = AnthropicPassthroughAdapter.Instance.WriteResponseAsStream(Encoding.UTF8.GetBytes(message), NewContext(), stream);
        var replayed = AnthropicStreamAccumulator.Replay(Encoding.UTF8.GetString(stream.WrittenSpan));

        await Assert.That(error).IsNull();
        await Assert.That(replayed.Blocks).IsEquivalentTo(["text: Hi", "tool_use toolu_1 Bash: {\"command\":\"ls\"}"]);
        await Assert.That(replayed.StopReason).IsEqualTo("tool_use");
    }

    [Test]
    public async Task RelayStreamAsync_TranslatesTheUpstreamStream()
    {
        const string upstream = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":null}]}\n\n" +
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":1}}\n\ndata: [DONE]\n\n";
        using var output = new MemoryStream();
        var client = PipeWriter.Create(output);

        await OpenAIFormatAdapter.Instance.RelayStreamAsync(new MemoryStream(Encoding.UTF8.GetBytes(upstream)), client, NewContext(), CancellationToken.None);
        await client.CompleteAsync();
        var message = AnthropicStreamAccumulator.Replay(Encoding.UTF8.GetString(output.ToArray()));

        await Assert.That(message.Blocks).IsEquivalentTo(["text: ok"]);
        await Assert.That(message.StopReason).IsEqualTo("end_turn");
    }

    [Test]
    public async Task Usage_StreamedAndWhole_ReportTheSameCacheCounts()
    {
        const string Usage = "{\"prompt_tokens\":100,\"completion_tokens\":9,\"prompt_tokens_details\":{\"cached_tokens\":60,\"cache_write_tokens\":30}}";
        var whole = new ArrayBufferWriter<byte>();
        OpenAIFormatAdapter.Instance.WriteResponse(Encoding.UTF8.GetBytes(
            "{\"id\":\"c\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},\"finish_reason\":\"stop\"}],\"usage\":" + Usage + "}"),
            NewContext(), whole);
        var upstream = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\n" +
            "data: {\"choices\":[],\"usage\":" + Usage + "}\n\ndata: [DONE]\n\n";
        using var output = new MemoryStream();
        var client = PipeWriter.Create(output);

        await OpenAIFormatAdapter.Instance.RelayStreamAsync(new MemoryStream(Encoding.UTF8.GetBytes(upstream)), client, NewContext(), CancellationToken.None);
        await client.CompleteAsync();
        var streamed = AnthropicStreamAccumulator.Replay(Encoding.UTF8.GetString(output.ToArray()));
        using var message = System.Text.Json.JsonDocument.Parse(whole.WrittenMemory);
        using var streamedUsage = System.Text.Json.JsonDocument.Parse(streamed.Usage!);

        foreach (var field in new[] { "input_tokens", "output_tokens", "cache_read_input_tokens", "cache_creation_input_tokens" })
        {
            await Assert.That(streamedUsage.RootElement.GetProperty(field).GetInt64())
                .IsEqualTo(message.RootElement.GetProperty("usage").GetProperty(field).GetInt64());
        }

        await Assert.That(streamedUsage.RootElement.GetProperty("input_tokens").GetInt64()).IsEqualTo(10);
        await Assert.That(streamedUsage.RootElement.GetProperty("cache_creation_input_tokens").GetInt64()).IsEqualTo(30);
    }
}
