using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Vdm.Conversion;
using Vdm.Tests.Conversion.Streaming;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Conversion;

/// <summary>Whole documents in, whole documents out, against the checked-in files in tests/Fixtures.</summary>
public class GoldenPairTests
{
    private static ConversionContext Context() => new("claude-sonnet-4-20250514", "gpt-4o", "openai");

    [Test]
    public async Task ClaudeCodeRequest_ConvertsToTheGoldenOpenAIRequest()
    {
        var output = new ArrayBufferWriter<byte>();

        var error = OpenAIFormatAdapter.Instance.WriteRequest(GoldenFile.ReadInput("claude-code-request.json"), Context(), output);
        var actual = Encoding.UTF8.GetString(output.WrittenSpan);

        await Assert.That(error).IsNull();
        await Assert.That(actual).IsEqualTo(GoldenFile.Expected("claude-code-request.openai.json", actual));
    }

    [Test]
    public async Task ClaudeCodeRequest_KeepsEveryMessageAndTool()
    {
        var output = new ArrayBufferWriter<byte>();
        var context = Context();

        OpenAIFormatAdapter.Instance.WriteRequest(GoldenFile.ReadInput("claude-code-request.json"), context, output);
        using var converted = System.Text.Json.JsonDocument.Parse(output.WrittenMemory);
        var root = converted.RootElement;

        await Assert.That(root.GetProperty("tools").GetArrayLength()).IsEqualTo(15);
        await Assert.That(root.GetProperty("messages")[0].GetProperty("role").GetString()).IsEqualTo("system");
        await Assert.That(root.GetProperty("messages").EnumerateArray().Count(m => m.GetProperty("role").GetString() == "tool")).IsEqualTo(9);
        await Assert.That(root.GetProperty("max_completion_tokens").GetInt32()).IsEqualTo(32000);
        await Assert.That(context.Notes).IsEmpty();
    }

    [Test]
    public async Task OpenAIResponse_ConvertsToTheGoldenAnthropicMessage()
    {
        var output = new ArrayBufferWriter<byte>();

        var error = OpenAIFormatAdapter.Instance.WriteResponse(GoldenFile.ReadInput("openai-response.json"), Context(), output);
        var actual = Encoding.UTF8.GetString(output.WrittenSpan);

        await Assert.That(error).IsNull();
        await Assert.That(actual).IsEqualTo(GoldenFile.Expected("openai-response.anthropic.json", actual));
    }

    [Test]
    public async Task OpenAIStream_TranslatesToTheGoldenAnthropicStream()
    {
        using var output = new MemoryStream();
        var client = PipeWriter.Create(output);

        await Vdm.Conversion.Streaming.OpenAIToAnthropicStream.TranslateAsync(
            new MemoryStream(GoldenFile.ReadInput("openai-stream.sse")), client, Context(), inputTokensEstimate: 0,
            mintId: prefix => prefix + "golden", CancellationToken.None);
        await client.CompleteAsync();
        var actual = Encoding.UTF8.GetString(output.ToArray());
        var message = AnthropicStreamAccumulator.Replay(actual);

        await Assert.That(actual).IsEqualTo(GoldenFile.Expected("openai-stream.anthropic.sse", actual));
        await Assert.That(message.StopReason).IsEqualTo("end_turn");
        await Assert.That(message.Blocks.Count).IsEqualTo(1);
    }
}
