namespace Vdm.Conversion.Streaming;

/// <summary>
/// What the stream translator needs from one <c>chat.completion.chunk</c> (choice 0 only), as ranges of the chunk's
/// bytes. Strings stay JSON-escaped so they can be forwarded verbatim. One instance is reused for every chunk; it is
/// the natural place for a later middleware hook to observe or alter an upstream chunk before it is applied.
/// </summary>
internal sealed class OpenAIChunk
{
    /// <summary><c>reasoning_content</c>, else <c>reasoning</c>: providers sending both repeat the same text.</summary>
    public ByteRange Reasoning { get; set; }

    /// <summary><c>reasoning_details[].text</c>, used only when the delta had neither reasoning field.</summary>
    public List<ByteRange> ReasoningDetails { get; } = [];

    /// <summary><c>reasoning_details[].signature</c>, sent just before the thinking block's stop.</summary>
    public List<ByteRange> Signatures { get; } = [];

    public ByteRange Content { get; set; }

    public ByteRange Refusal { get; set; }

    public List<ToolCallFragment> ToolCalls { get; } = [];

    public string? FinishReason { get; set; }

    /// <summary>Whether the chunk carried a non-null <c>usage</c> object; <see cref="Usage"/> is valid only then.</summary>
    public bool HasUsage { get; set; }

    public OpenAIUsage Usage { get; set; }

    /// <summary>The Anthropic error type of an in-band <c>error</c> object, or null when there was none.</summary>
    public string? ErrorType { get; set; }

    public string? ErrorMessage { get; set; }

    public void Reset()
    {
        Reasoning = Content = Refusal = default;
        ReasoningDetails.Clear();
        Signatures.Clear();
        ToolCalls.Clear();
        FinishReason = null;
        HasUsage = false;
        Usage = default;
        ErrorType = ErrorMessage = null;
    }
}

/// <summary>The escaped content of a JSON string inside a chunk (quotes excluded); empty when absent or "".</summary>
internal readonly record struct ByteRange(int Start, int Length)
{
    public bool IsEmpty => Length == 0;

    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> chunk) => chunk.Slice(Start, Length);
}

/// <summary>One <c>tool_calls[]</c> fragment: id and name as strings (once per call), arguments still escaped.</summary>
internal readonly record struct ToolCallFragment(int Index, string? Id, string? Name, ByteRange Arguments);
