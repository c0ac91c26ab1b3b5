using System.Buffers;
using System.Text;
using Vdm.Conversion;
using Vdm.Gateway.Middleware;
using Vdm.Tests.Conversion.Streaming;

namespace Vdm.Tests.Gateway.Middleware;

/// <summary>Answers and requests the middleware must carry without losing a signature, a call or a byte: providers that repeat ids on every piece, sign late, or send lone surrogate escapes.</summary>
public class GeminiThoughtSignaturesStreamTests
{
    private const string Signature = "c2lnbmF0dXJlIG9mIGNhbGwgYQ==";

    private static (ConversionContext Context, ThoughtSignatureStore Store, MiddlewarePipeline Pipeline) Streamed()
    {
        var store = new ThoughtSignatureStore(100, TimeSpan.FromHours(1), TimeProvider.System);
        var run = new GeminiThoughtSignatures(store).Begin(new MiddlewareRequest("req", "acme", "gemini-2.5-pro", "smart", Stream: true))!;
        var pipeline = new MiddlewarePipeline([run]);
        return (new ConversionContext("smart", "gemini-2.5-pro", "acme") { Hooks = pipeline.Hooks }, store, pipeline);
    }

    private static int ToolUseBlocks(string anthropic) =>
        anthropic.Split('\n').Count(line => line.Contains("\"content_block_start\"", StringComparison.Ordinal) && line.Contains("\"tool_use\"", StringComparison.Ordinal));

    [Test]
    public async Task Stream_IdRepeatedOnEveryFragment_SignatureOnTheFirst_StaysOneCallWithItsArguments()
    {
        // Servers that repeat the id on every fragment of a call (vLLM, LiteLLM-style relays): the first fragment is
        // signed and gets a carrier id, the next ones keep the plain id, which the ToolCallQueue reads as a new call.
        var (context, _, _) = Streamed();
        var upstream = StreamTranscript.Sse("""
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"Read","arguments":""},"extra_content":{"google":{"thought_signature":"c2lnbmF0dXJlIG9mIGNhbGwgYQ=="}}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","function":{"arguments":"{\"file_path\":\"/tmp/x\"}"}}]}}]}
            {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
            [DONE]
            """);

        var output = await StreamTranscript.TranslateAsync(Encoding.UTF8.GetBytes(upstream), _ => 1 << 20, context);

        await Assert.That(ToolUseBlocks(output)).IsEqualTo(1);
        await Assert.That(output).Contains("file_path");
    }

    [Test]
    public async Task Stream_IdRepeatedWithTheLateSignature_StaysOneCallAndTheStoreKnowsIt()
    {
        // The id reaches the client plain in the first fragment; the signature comes on a later fragment that repeats
        // the id. The middleware wraps that later id (the client never sees it) instead of storing the signature.
        var (context, store, _) = Streamed();
        var upstream = StreamTranscript.Sse("""
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","type":"function","function":{"name":"Read","arguments":"{\"file_path\":"}}]}}]}
            {"choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_a","function":{"arguments":"\"/tmp/x\"}"},"extra_content":{"google":{"thought_signature":"c2lnbmF0dXJlIG9mIGNhbGwgYQ=="}}}]}}]}
            {"choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}
            [DONE]
            """);

        var output = await StreamTranscript.TranslateAsync(Encoding.UTF8.GetBytes(upstream), _ => 1 << 20, context);

        await Assert.That(ToolUseBlocks(output)).IsEqualTo(1);
        await Assert.That(store.TryGet("call_a", out var stored) ? stored : null).IsEqualTo(Signature);
    }

    [Test]
    public async Task RewriteResponse_LoneSurrogateEscapeInArguments_DoesNotThrow()
    {
        // A model that cut an emoji in half: "\ud83d" alone is valid JSON text; the JsonNode round trip must not
        // turn it into an exception in the middle of the request.
        var run = new GeminiThoughtSignatures(new ThoughtSignatureStore(10, TimeSpan.FromHours(1), TimeProvider.System))
            .Begin(new MiddlewareRequest("req", "acme", "gemini-2.5-pro", "smart", Stream: false))!;
        var body = Encoding.UTF8.GetBytes("""{"choices":[{"index":0,"message":{"role":"assistant","tool_calls":[{"id":"call_a","type":"function","function":{"name":"Echo","arguments":"{\"text\":\"\ud83d\"}"},"extra_content":{"google":{"thought_signature":"c2lnbmF0dXJlIG9mIGNhbGwgYQ=="}}}]},"finish_reason":"tool_calls"}]}""");
        var output = new ArrayBufferWriter<byte>();

        Exception? thrown = null;
        try
        {
            run.RewriteResponse(body, output);
        }
        catch (Exception e)
        {
            thrown = e;
        }

        await Assert.That(thrown?.GetType().Name).IsNull();
    }

    [Test]
    public async Task RewriteRequest_LoneSurrogateEscapeInAToolResult_DoesNotThrow()
    {
        // The same on the request side: a carrier id makes the hook rewrite, and a tool result holding a lone
        // surrogate escape (binary-ish file contents) is written back through the JsonNode tree.
        var carrier = ThoughtSignatureCarrier.Wrap("call_a", Signature);
        var run = new GeminiThoughtSignatures(new ThoughtSignatureStore(10, TimeSpan.FromHours(1), TimeProvider.System))
            .Begin(new MiddlewareRequest("req", "acme", "gemini-2.5-pro", "smart", Stream: false))!;
        var body = Encoding.UTF8.GetBytes($$$"""{"model":"g","messages":[{"role":"user","content":"hi"},{"role":"assistant","tool_calls":[{"id":"{{{carrier}}}","type":"function","function":{"name":"Read","arguments":"{}"}}]},{"role":"tool","tool_call_id":"{{{carrier}}}","content":"bad \udc00 bytes"}]}""");
        var output = new ArrayBufferWriter<byte>();

        Exception? thrown = null;
        try
        {
            run.RewriteRequest(body, output);
        }
        catch (Exception e)
        {
            thrown = e;
        }

        await Assert.That(thrown?.GetType().Name).IsNull();
    }
}
