using System.IO.Pipelines;
using System.Text;
using System.Threading.Channels;
using Vdm.Conversion;
using Vdm.Conversion.Streaming;

namespace Vdm.Tests.Conversion.Streaming;

/// <summary>Pings while the upstream is silent, so clients' idle timers do not fire on a model that is thinking.</summary>
public class KeepAliveTests
{
    [Test]
    public async Task TranslateAsync_SilentUpstream_SendsPingsUntilContentArrives()
    {
        var upstream = new Pipe();
        var client = new FlushRecorder();
        var context = new ConversionContext("m", "m", "p") { KeepAliveInterval = TimeSpan.FromMilliseconds(30) };

        var translation = OpenAIToAnthropicStream.TranslateAsync(upstream.Reader.AsStream(), PipeWriter.Create(client), context, CancellationToken.None);
        var start = await client.NextAsync();
        var keepAlive = await client.NextAsync();
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"late\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
        await upstream.Writer.CompleteAsync();
        await translation.WaitAsync(TimeSpan.FromSeconds(10));
        var message = AnthropicStreamAccumulator.Replay(client.All);

        await Assert.That(start).StartsWith("event: message_start");
        await Assert.That(keepAlive).IsEqualTo("event: ping\ndata: {\"type\":\"ping\"}\n\n");
        await Assert.That(message.Blocks).IsEquivalentTo(["text: late"]);
    }

    [Test]
    public async Task TranslateAsync_KeepAliveOff_SendsNothingWhileSilent()
    {
        var upstream = new Pipe();
        var client = new FlushRecorder();
        var context = new ConversionContext("m", "m", "p") { KeepAliveInterval = null };

        var translation = OpenAIToAnthropicStream.TranslateAsync(upstream.Reader.AsStream(), PipeWriter.Create(client), context, CancellationToken.None);
        await client.NextAsync();
        await upstream.Writer.WriteAsync(Encoding.UTF8.GetBytes("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"));
        await upstream.Writer.CompleteAsync();
        await translation.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(client.All.Split("event: ping").Length - 1).IsEqualTo(1);
    }

    /// <summary>A client stream that hands each flush's new bytes to the test, in order.</summary>
    private sealed class FlushRecorder : MemoryStream
    {
        private readonly Channel<string> _flushes = Channel.CreateUnbounded<string>();
        private int _flushedUpTo;

        public string All => Encoding.UTF8.GetString(ToArray());

        public Task<string> NextAsync() => _flushes.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));

        public override Task FlushAsync(CancellationToken cancellationToken)
        {
            var bytes = ToArray();
            if (bytes.Length > _flushedUpTo)
            {
                _flushes.Writer.TryWrite(Encoding.UTF8.GetString(bytes, _flushedUpTo, bytes.Length - _flushedUpTo));
                _flushedUpTo = bytes.Length;
            }

            return Task.CompletedTask;
        }
    }
}
