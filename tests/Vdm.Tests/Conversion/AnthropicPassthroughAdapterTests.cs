using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using Vdm.Conversion;

namespace Vdm.Tests.Conversion;

public class AnthropicPassthroughAdapterTests
{
    private static readonly ConversionContext Context = new("anthropic:claude-x", "claude-sonnet-4-5", "anthropic");

    private static (string Body, ConversionError? Error) WriteRequest(string clientBody, ConversionContext? context = null)
    {
        var output = new ArrayBufferWriter<byte>();
        var error = AnthropicPassthroughAdapter.Instance.WriteRequest(Encoding.UTF8.GetBytes(clientBody), context ?? Context, output);
        return (Encoding.UTF8.GetString(output.WrittenSpan), error);
    }

    [Test]
    public async Task WriteRequest_ReplacesOnlyTheModelAndKeepsEveryOtherByte()
    {
        const string client = "{ \"max_tokens\" : 64000,\n  \"model\":\"anthropic:claude-x\", \"system\":[{\"type\":\"text\",\"text\":\"hi\",\"cache_control\":{\"type\":\"ephemeral\"}}],\"x-unknown\":{\"deep\":[1,2.50,\"\\u00e9\"]}}";

        var (body, error) = WriteRequest(client);

        await Assert.That(error).IsNull();
        await Assert.That(body).IsEqualTo(client.Replace("\"anthropic:claude-x\"", "\"claude-sonnet-4-5\"", StringComparison.Ordinal));
    }

    [Test]
    public async Task WriteRequest_ModelNeedingEscapes_IsWrittenAsValidJson()
    {
        var (body, error) = WriteRequest("{\"model\":\"a\"}", Context with { UpstreamModel = "we\"ird\\model" });

        await Assert.That(error).IsNull();
        await Assert.That(body).IsEqualTo("{\"model\":\"we\\u0022ird\\\\model\"}");
    }

    [Test]
    public async Task WriteRequest_NestedModelProperty_IsNotTouched()
    {
        var (body, _) = WriteRequest("{\"metadata\":{\"model\":\"keep\"},\"model\":\"x\"}");

        await Assert.That(body).IsEqualTo("{\"metadata\":{\"model\":\"keep\"},\"model\":\"claude-sonnet-4-5\"}");
    }

    [Test]
    [Arguments("[1,2]", "The request body must be a JSON object.")]
    [Arguments("{\"max_tokens\":1}", "model: is required.")]
    [Arguments("{\"model\":42}", "model: must be a string.")]
    [Arguments("{\"model\":\"a\",\"model\":\"b\"}", "model: appears more than once.")]
    public async Task WriteRequest_InvalidBody_ReturnsAnInvalidRequestError(string client, string message)
    {
        var (_, error) = WriteRequest(client);

        await Assert.That(error).IsEqualTo(new ConversionError("invalid_request_error", message));
    }

    [Test]
    [Arguments("{\"model\":\"a\"")]
    [Arguments("{\"model\":\"a\"} trailing")]
    [Arguments("")]
    public async Task WriteRequest_MalformedJson_ReturnsAnInvalidRequestError(string client)
    {
        var (_, error) = WriteRequest(client);

        await Assert.That(error?.Type).IsEqualTo("invalid_request_error");
        await Assert.That(error?.Message).StartsWith("The request body is not valid JSON");
    }

    [Test]
    public async Task WriteResponse_CopiesTheBodyUntouched()
    {
        const string upstream = "{\"id\":\"msg_1\",\"model\":\"claude-sonnet-4-5\",\"content\":[{\"type\":\"thinking\",\"signature\":\"abc\"}]}";
        var output = new ArrayBufferWriter<byte>();

        var error = AnthropicPassthroughAdapter.Instance.WriteResponse(Encoding.UTF8.GetBytes(upstream), Context, output);

        await Assert.That(error).IsNull();
        await Assert.That(Encoding.UTF8.GetString(output.WrittenSpan)).IsEqualTo(upstream);
    }

    [Test]
    public async Task RelayStreamAsync_FlushesEachChunkAsItArrives()
    {
        var upstream = new Pipe();
        var client = new RecordingStream();
        var writer = PipeWriter.Create(client);

        var relay = AnthropicPassthroughAdapter.Instance.RelayStreamAsync(upstream.Reader.AsStream(), writer, Context, CancellationToken.None);
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes("event: ping\ndata: {\"type\":\"ping\"}\n\n"));
        var first = await client.NextFlushAsync();
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"));
        var second = await client.NextFlushAsync();
        await upstream.Writer.CompleteAsync();
        await relay.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(first).IsEqualTo("event: ping\ndata: {\"type\":\"ping\"}\n\n");
        await Assert.That(second).IsEqualTo("event: ping\ndata: {\"type\":\"ping\"}\n\nevent: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    }

    private const string MessageStart = "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"content\":[]}}\n\n";
    private const string Delta = "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n";
    private const string MessageStop = "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
    private const string Ping = "event: ping\ndata: {\"type\":\"ping\"}\n\n";

    [Test]
    public async Task RelayStreamAsync_ProviderSilentBetweenEvents_PingsTheClient()
    {
        var upstream = new Pipe();
        var client = new RecordingStream();
        var context = Context with { KeepAliveInterval = TimeSpan.FromMilliseconds(30) };

        var relay = AnthropicPassthroughAdapter.Instance.RelayStreamAsync(upstream.Reader.AsStream(), PipeWriter.Create(client), context, CancellationToken.None);
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(MessageStart));
        var started = await client.NextFlushAsync();
        var pinged = await client.NextFlushAsync();
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(MessageStop));
        await upstream.Writer.CompleteAsync();
        await relay.WaitAsync(TimeSpan.FromSeconds(10));
        var all = Encoding.UTF8.GetString(client.ToArray());

        await Assert.That(started).IsEqualTo(MessageStart);
        await Assert.That(pinged).IsEqualTo(MessageStart + Ping);
        await Assert.That(all).StartsWith(MessageStart + Ping);
        await Assert.That(all).EndsWith(MessageStop);
        await Assert.That(all.Replace(Ping, "", StringComparison.Ordinal)).IsEqualTo(MessageStart + MessageStop);
    }

    [Test]
    public async Task RelayStreamAsync_ProviderSilentMidEvent_NeverSplitsTheEventWithAPing()
    {
        var upstream = new Pipe();
        var client = new RecordingStream();
        var context = Context with { KeepAliveInterval = TimeSpan.FromMilliseconds(20) };

        var relay = AnthropicPassthroughAdapter.Instance.RelayStreamAsync(upstream.Reader.AsStream(), PipeWriter.Create(client), context, CancellationToken.None);
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(MessageStart + Delta[..30]));
        await client.NextFlushAsync();

        // Silence in the middle of an event, long enough for several keep-alive checks (there is no event to await:
        // the point is that nothing happens).
        await Task.Delay(200);
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(Delta[30..] + MessageStop));
        await upstream.Writer.CompleteAsync();
        await relay.WaitAsync(TimeSpan.FromSeconds(10));
        var all = Encoding.UTF8.GetString(client.ToArray());

        await Assert.That(all).IsEqualTo(MessageStart + Delta + MessageStop);
    }

    [Test]
    public async Task WriteRequest_ThinkingWithoutSignature_IsRemovedAndSignedThinkingKept()
    {
        const string client = """{"model":"x","messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"from gpt","signature":""},{"type":"thinking","thinking":"real","signature":"c2ln"},{"type":"text","text":"answer"}]},{"role":"user","content":"next"}],"max_tokens":5}""";

        var (body, error) = WriteRequest(client);

        await Assert.That(error).IsNull();
        await Assert.That(body).IsEqualTo("""{"model":"claude-sonnet-4-5","messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"real","signature":"c2ln"},{"type":"text","text":"answer"}]},{"role":"user","content":"next"}],"max_tokens":5}""");
    }

    /// <summary>A stream that records its content and lets a test await each flush, in order.</summary>
    private sealed class RecordingStream : MemoryStream
    {
        private readonly Channel<string> _flushes = Channel.CreateUnbounded<string>();

        public Task<string> NextFlushAsync() => _flushes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            _flushes.Writer.TryWrite(Encoding.UTF8.GetString(ToArray()));
            return Task.CompletedTask;
        }
    }
}
