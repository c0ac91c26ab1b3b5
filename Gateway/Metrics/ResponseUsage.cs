namespace Vdm.Gateway.Metrics;

/// <summary>
/// What one answer has cost and carried so far, as seen in what went to the client: tokens by kind, the tool calls
/// the model made, bytes, when its first token went out, and how it failed if it did. Written by the request's own
/// relay only; read at its end and, while it runs, by <c>/metrics/active-requests</c> (64-bit reads do not tear).
/// </summary>
internal sealed class ResponseUsage
{
    public long InputTokens { get; set; }

    public long OutputTokens { get; set; }

    public long CacheReadTokens { get; set; }

    public long CacheWriteTokens { get; set; }

    /// <summary>Tool calls the model made (Anthropic <c>tool_use</c> blocks, OpenAI <c>tool_calls</c>).</summary>
    public int ToolUses { get; set; }

    public long RequestBytes { get; set; }

    public long ResponseBytes { get; set; }

    /// <summary>The <see cref="System.Diagnostics.Stopwatch"/> timestamp of the first token sent; 0 before it (and for whole JSON answers).</summary>
    public long FirstTokenTimestamp { get; set; }

    /// <summary>The error type the client was told (an HTTP error or a stream's error event); null while all is well.</summary>
    public string? ErrorType { get; set; }

    public bool HasTokens => InputTokens + OutputTokens + CacheReadTokens + CacheWriteTokens > 0;

    /// <summary>Marks the first token, once.</summary>
    public void FirstToken()
    {
        if (FirstTokenTimestamp == 0)
        {
            FirstTokenTimestamp = System.Diagnostics.Stopwatch.GetTimestamp();
        }
    }
}
