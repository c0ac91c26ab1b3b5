namespace Vdm.Conversion.Streaming;

/// <summary>
/// The closing <c>message_delta</c> in the making: the finish reason, refusal and usage gathered from the chunks as
/// they pass, and whether it may be sent yet (peers.md §3.4 items 68–71).
/// </summary>
internal sealed class FinalMessageDelta(long inputTokensEstimate)
{
    private string? _finishReason;
    private bool _sawRefusal;
    private OpenAIUsage? _usage;

    /// <summary>Whether a finish_reason came: without one, an end of stream is a truncation, not an end of turn.</summary>
    public bool HasFinishReason => _finishReason is not null;

    public void NoteRefusal() => _sawRefusal = true;

    /// <summary>Keeps the chunk's finish reason and usage.</summary>
    /// <returns>True when the message can end now: a finish reason has come, and so has the usage.</returns>
    public bool Record(OpenAIChunk chunk)
    {
        _finishReason = chunk.FinishReason ?? _finishReason;
        if (chunk.HasUsage)
        {
            // Some servers send running totals on every chunk: the last one counts (item 70).
            _usage = chunk.Usage;
        }

        // With include_usage the usage comes in a chunk after the finish chunk, and the message_delta waits for it
        // (item 69); a stream without usage ends at [DONE] or at the end of the stream instead.
        return _finishReason is not null && chunk.HasUsage;
    }

    /// <param name="sawToolCalls">Whether any tool_use block was started.</param>
    public string StopReason(bool sawToolCalls) =>
        _sawRefusal ? StopReasons.Refusal : StopReasons.FromOpenAI(_finishReason, sawToolCalls);

    /// <param name="streamedBytes">The escaped bytes of content streamed, for an estimate when the upstream sent no usage.</param>
    public OpenAIUsage Usage(long streamedBytes) =>
        // Claude Code's token display and cost tracking read output_tokens, so it is estimated rather than 0 (item 71).
        _usage ?? new OpenAIUsage(inputTokensEstimate, Math.Max(1, streamedBytes / 4), 0, 0);
}
