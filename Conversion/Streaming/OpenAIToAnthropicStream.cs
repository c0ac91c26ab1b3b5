using System.Buffers;
using System.IO.Pipelines;

namespace Vdm.Conversion.Streaming;

/// <summary>
/// Translates an OpenAI Chat Completions stream (<c>chat.completion.chunk</c> SSE) into an Anthropic Messages stream
/// (peers.md §3.4). The loop in <see cref="TranslateAsync(Stream, PipeWriter, ConversionContext, CancellationToken)"/>
/// reads events, <see cref="OnEvent"/> hands each chunk's JSON to the middleware hook
/// (<see cref="ConversionHooks.RewriteUpstream"/>, when there is one), parses it into an <see cref="OpenAIChunk"/> and
/// applies it.
/// </summary>
internal sealed class OpenAIToAnthropicStream : IDisposable
{
    public const string TruncatedMessage = "The upstream stream ended unexpectedly.";
    public const string MalformedMessage = "The upstream sent malformed JSON in its stream.";

    private readonly ConversionContext _context;
    private readonly Func<string, string> _mintId;
    private readonly long _inputTokensEstimate;
    private readonly AnthropicEventWriter _events;
    private readonly ContentBlockSequence _blocks;
    private readonly ToolCallQueue _tools;
    private readonly OpenAIChunk _chunk = new();
    private readonly FinalMessageDelta _end;
    private Json.PooledBufferWriter? _rewritten;

    /// <param name="output">Where the Anthropic events go.</param>
    /// <param name="context">The routed request; its requested model and tool-name map are used.</param>
    /// <param name="inputTokensEstimate">The <c>input_tokens</c> of <c>message_start</c>, and of the end when no usage comes.</param>
    /// <param name="mintId">Makes an id from a prefix (<c>msg_</c>, <c>toolu_</c>); tests pass a deterministic one.</param>
    public OpenAIToAnthropicStream(IBufferWriter<byte> output, ConversionContext context, long inputTokensEstimate = 0, Func<string, string>? mintId = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        _context = context;
        _mintId = mintId ?? StreamIds.Mint;
        _inputTokensEstimate = inputTokensEstimate;
        _events = new AnthropicEventWriter(output);
        _blocks = new ContentBlockSequence(_events);
        _tools = new ToolCallQueue(_blocks, context.ToolNames, _mintId);
        _end = new FinalMessageDelta(inputTokensEstimate);
    }

    /// <summary>True once <c>message_stop</c> or <c>error</c> was written; nothing follows either.</summary>
    public bool IsFinished { get; private set; }

    public static Task TranslateAsync(Stream upstream, PipeWriter client, ConversionContext context, CancellationToken cancellationToken) =>
        TranslateAsync(upstream, client, context, 0, null, cancellationToken);

    /// <inheritdoc cref="TranslateAsync(Stream, PipeWriter, ConversionContext, CancellationToken)"/>
    public static async Task TranslateAsync(
        Stream upstream,
        PipeWriter client,
        ConversionContext context,
        long inputTokensEstimate,
        Func<string, string>? mintId,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        ArgumentNullException.ThrowIfNull(client);
        using var reader = new SseEventReader(upstream);
        using var translator = new OpenAIToAnthropicStream(client, context, inputTokensEstimate, mintId);

        // message_start goes out as soon as the upstream has answered, before any content (item 55): nothing is
        // buffered yet, so the first pass flushes it before the first read.
        translator.Start();
        var keepAlive = KeepAlive.Start(context, translator.TryWritePing, client, cancellationToken);
        try
        {
            var next = Next.Nothing;
            UpstreamReadStopped? stoppedBy = null;
            while (true)
            {
                if (keepAlive is not null)
                {
                    await keepAlive.EnterAsync(cancellationToken).ConfigureAwait(false);
                }

                var wrote = false;
                try
                {
                    if (next == Next.Event)
                    {
                        translator.OnEvent(reader.Data);
                    }
                    else if (next == Next.End && stoppedBy is not null)
                    {
                        translator.Stop(stoppedBy);
                    }
                    else if (next == Next.End)
                    {
                        translator.OnEndOfStream();
                    }

                    // Events already in the buffer are translated back to back and flushed together before the
                    // translator waits on the upstream again: every event still reaches the client before the next
                    // read, but a burst costs one flush (a socket write, and a task whenever the sink completes it
                    // asynchronously) instead of one per chunk.
                    while (!translator.IsFinished && reader.TryRead())
                    {
                        translator.OnEvent(reader.Data);
                    }

                    // Awaited here rather than in a helper so that a flush that completes asynchronously reuses this
                    // method's state machine instead of boxing a second one.
                    if (translator._events.TakeWrittenCount() > 0)
                    {
                        wrote = true;
                        var flushed = await client.FlushAsync(cancellationToken).ConfigureAwait(false);
                        if (flushed.IsCompleted || flushed.IsCanceled)
                        {
                            return;
                        }
                    }
                }
                finally
                {
                    keepAlive?.Exit(wrote);
                }

                if (translator.IsFinished)
                {
                    return;
                }

                try
                {
                    next = await reader.ReadAsync(cancellationToken).ConfigureAwait(false) ? Next.Event : Next.End;
                }
                catch (UpstreamReadStopped stopped)
                {
                    // vdm itself stopped reading (idle timeout, shutdown): say so, rather than blame the provider. The
                    // error is written on the next pass, which holds the client writer (a ping may be writing now).
                    stoppedBy = stopped;
                    next = Next.End;
                }
                catch (IOException)
                {
                    // A reset connection is a truncated answer, reported like an early end of stream (item 73).
                    next = Next.End;
                }
            }
        }
        finally
        {
            if (keepAlive is not null)
            {
                await keepAlive.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes a keep-alive <c>ping</c> unless the stream has ended (the caller holds the writer).</summary>
    private PingOutcome TryWritePing()
    {
        if (IsFinished)
        {
            return PingOutcome.StreamEnded;
        }

        _events.WritePing();
        _events.TakeWrittenCount();
        return PingOutcome.Written;
    }

    /// <summary>Writes <c>message_start</c> and one <c>ping</c>.</summary>
    public void Start()
    {
        _events.WriteMessageStart(_mintId("msg_"), _context.RequestedModel, _inputTokensEstimate);
        _events.WritePing();
    }

    /// <summary>Applies one upstream event's data (one chunk, or <c>[DONE]</c>).</summary>
    public void OnEvent(ReadOnlySpan<byte> data)
    {
        if (IsFinished)
        {
            return;
        }

        if (data.SequenceEqual("[DONE]"u8))
        {
            // [DONE] is the server's own end mark, so even without a finish_reason this is not a truncation.
            Finish();
            return;
        }

        if (_context.Hooks?.RewriteUpstream is { } rewrite)
        {
            _rewritten ??= new Json.PooledBufferWriter(data.Length + 256);
            _rewritten.Clear();
            if (rewrite(data, _rewritten))
            {
                data = _rewritten.WrittenSpan;
            }
        }

        if (!OpenAIChunkParser.TryParse(data, _chunk))
        {
            Fail(AnthropicErrorTypes.Api, MalformedMessage);
            return;
        }

        Apply(_chunk, data);
    }

    /// <summary>Ends the stream with the error event for a read vdm stopped; nothing more is sent after it.</summary>
    public void Stop(UpstreamReadStopped stopped)
    {
        if (!IsFinished)
        {
            Fail(stopped.ErrorType, stopped.Message);
        }
    }

    /// <summary>The upstream ended: a normal finish after a finish_reason, otherwise an <c>error</c> event.</summary>
    public void OnEndOfStream()
    {
        if (IsFinished)
        {
            return;
        }

        if (_end.HasFinishReason)
        {
            Finish();
        }
        else
        {
            Fail(AnthropicErrorTypes.Api, TruncatedMessage);
        }
    }

    public void Dispose()
    {
        _tools.Dispose();
        _events.Dispose();
        _rewritten?.Dispose();
    }

    private void Apply(OpenAIChunk chunk, ReadOnlySpan<byte> data)
    {
        if (chunk.ErrorType is not null || chunk.FinishReason == "error")
        {
            Fail(chunk.ErrorType ?? AnthropicErrorTypes.Api, chunk.ErrorMessage ?? InBandError.DefaultMessage);
            return;
        }

        // Order inside one delta: reasoning, text, then tools (item 61), whatever the JSON property order.
        Append(BlockKind.Thinking, chunk.Reasoning.Of(data));
        if (chunk.Reasoning.IsEmpty)
        {
            foreach (var range in chunk.ReasoningDetails)
            {
                Append(BlockKind.Thinking, range.Of(data));
            }
        }

        foreach (var range in chunk.Signatures)
        {
            _blocks.AddSignature(range.Of(data));
        }

        Append(BlockKind.Text, chunk.Content.Of(data));
        if (!chunk.Refusal.IsEmpty)
        {
            _end.NoteRefusal();
            Append(BlockKind.Text, chunk.Refusal.Of(data));
        }

        foreach (var fragment in chunk.ToolCalls)
        {
            _tools.Add(fragment, data);
        }

        if (chunk.FinishReason is not null)
        {
            // Blocks stop at the finish even when the message_delta still waits for the usage chunk.
            _tools.CloseAll();
            _blocks.Close();
        }

        if (_end.Record(chunk))
        {
            Finish();
        }
    }

    private void Append(BlockKind kind, ReadOnlySpan<byte> escaped)
    {
        if (escaped.IsEmpty)
        {
            return;
        }

        // Content after tool calls opens a new block after them (item 60); the calls cannot be continued afterwards.
        if (_tools.HasPending)
        {
            _tools.CloseAll();
        }

        _blocks.Append(kind, escaped);
    }

    private void Finish()
    {
        // Closing first can still start buffered tool calls, which the stop reason depends on.
        _tools.CloseAll();
        _blocks.Close();
        _events.WriteMessageDelta(_end.StopReason(_tools.SawToolCalls), _end.Usage(_blocks.StreamedBytes));
        _events.WriteMessageStop();
        IsFinished = true;
    }

    private void Fail(string type, string message)
    {
        _events.WriteError(type, message);
        IsFinished = true;
    }

    private enum Next
    {
        Nothing,
        Event,
        End,
    }
}
