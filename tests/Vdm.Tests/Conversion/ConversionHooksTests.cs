using System.Buffers;
using System.Text;
using Vdm.Conversion;

namespace Vdm.Tests.Conversion;

public class ConversionHooksTests
{
    private const string Request = """{"max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""";
    private const string Response = """{"id":"c1","choices":[{"index":0,"message":{"role":"assistant","content":"upstream text"},"finish_reason":"stop"}]}""";

    private static ConversionContext Context(ConversionHooks? hooks) => new("a", "m", "custom") { Hooks = hooks };

    [Test]
    public async Task RewriteRequest_SeesTheConvertedRequestAndReplacesIt()
    {
        string? seen = null;
        var hooks = new ConversionHooks
        {
            RewriteRequest = (request, rewritten) =>
            {
                seen = Encoding.UTF8.GetString(request.Span);
                rewritten.Write("{\"rewritten\":true}"u8);
                return true;
            },
        };
        var output = new ArrayBufferWriter<byte>();

        var error = OpenAIFormatAdapter.Instance.WriteRequest(Encoding.UTF8.GetBytes(Request), Context(hooks), output);

        await Assert.That(error).IsNull();
        await Assert.That(seen).IsEqualTo("""{"model":"m","messages":[{"role":"user","content":"hi"}],"max_tokens":10}""");
        await Assert.That(Encoding.UTF8.GetString(output.WrittenSpan)).IsEqualTo("{\"rewritten\":true}");
    }

    [Test]
    public async Task RewriteRequest_ReturningFalse_SendsTheConversionUnchanged()
    {
        var hooks = new ConversionHooks { RewriteRequest = (_, _) => false };
        var withHook = new ArrayBufferWriter<byte>();
        var without = new ArrayBufferWriter<byte>();

        OpenAIFormatAdapter.Instance.WriteRequest(Encoding.UTF8.GetBytes(Request), Context(hooks), withHook);
        OpenAIFormatAdapter.Instance.WriteRequest(Encoding.UTF8.GetBytes(Request), Context(null), without);

        await Assert.That(Encoding.UTF8.GetString(withHook.WrittenSpan)).IsEqualTo(Encoding.UTF8.GetString(without.WrittenSpan));
    }

    [Test]
    public async Task RewriteUpstream_ChangesTheResponseBeforeItIsTranslated()
    {
        var hooks = new ConversionHooks
        {
            RewriteUpstream = (json, rewritten) =>
            {
                rewritten.Write(Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(json).Replace("upstream text", "hooked text", StringComparison.Ordinal)));
                return true;
            },
        };
        var output = new ArrayBufferWriter<byte>();

        var error = OpenAIFormatAdapter.Instance.WriteResponse(Encoding.UTF8.GetBytes(Response), Context(hooks), output);

        await Assert.That(error).IsNull();
        await Assert.That(Encoding.UTF8.GetString(output.WrittenSpan)).Contains("\"text\":\"hooked text\"");
    }

    [Test]
    public async Task RewriteUpstream_SeesEachStreamChunkBeforeItIsTranslated()
    {
        var seen = new List<string>();
        var hooks = new ConversionHooks
        {
            RewriteUpstream = (json, rewritten) =>
            {
                var text = Encoding.UTF8.GetString(json);
                seen.Add(text);
                rewritten.Write(Encoding.UTF8.GetBytes(text.Replace("upstream", "hooked", StringComparison.Ordinal)));
                return true;
            },
        };
        const string upstream = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"upstream\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n";
        using var output = new MemoryStream();
        var client = System.IO.Pipelines.PipeWriter.Create(output);

        await OpenAIFormatAdapter.Instance.RelayStreamAsync(new MemoryStream(Encoding.UTF8.GetBytes(upstream)), client, Context(hooks), CancellationToken.None);
        await client.CompleteAsync();
        var message = Vdm.Tests.Conversion.Streaming.AnthropicStreamAccumulator.Replay(Encoding.UTF8.GetString(output.ToArray()));

        await Assert.That(seen.Count).IsEqualTo(1);
        await Assert.That(message.Blocks).IsEquivalentTo(["text: hooked"]);
    }
}
