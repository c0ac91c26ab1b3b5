using System.Buffers;
using System.Text;
using Vdm.Conversion.Streaming;

namespace Vdm.Tests.Conversion.Streaming;

public class AnthropicEventWriterTests
{
    [Test]
    public async Task WriteDelta_EscapedFragment_IsWrittenVerbatim()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new AnthropicEventWriter(output);

        writer.WriteDelta(3, BlockDelta.InputJson, "{\\\"a\\\":\\\"\\u00e9\\n"u8);

        await Assert.That(Encoding.UTF8.GetString(output.WrittenSpan)).IsEqualTo(
            "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":3,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{\\\"a\\\":\\\"\\u00e9\\n\"}}\n\n");
    }

    [Test]
    public async Task WriteError_ReusedWriter_WritesOneCompleteEventPerCall()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new AnthropicEventWriter(output);

        writer.WritePing();
        writer.WriteError("overloaded_error", "Busy \"now\" é");

        await Assert.That(writer.TakeWrittenCount()).IsEqualTo(2);
        await Assert.That(Encoding.UTF8.GetString(output.WrittenSpan)).IsEqualTo(
            "event: ping\ndata: {\"type\":\"ping\"}\n\nevent: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Busy \\\"now\\\" é\"}}\n\n");
    }

    [Test]
    public async Task WriteToolUseStart_Name_IsEscapedAndInputIsEmpty()
    {
        var output = new ArrayBufferWriter<byte>();
        using var writer = new AnthropicEventWriter(output);

        writer.WriteToolUseStart(1, "toolu_1", "mcp__x\"y");

        await Assert.That(Encoding.UTF8.GetString(output.WrittenSpan)).IsEqualTo(
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"mcp__x\\\"y\",\"input\":{}}}\n\n");
    }
}
