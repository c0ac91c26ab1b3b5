namespace Vdm.Conversion;

/// <summary>OpenAI's <c>finish_reason</c> to Anthropic's <c>stop_reason</c> (peers.md §3.3 item 50, §3.4 items 68 and 82).</summary>
internal static class StopReasons
{
    public const string EndTurn = "end_turn";
    public const string MaxTokens = "max_tokens";
    public const string ToolUse = "tool_use";
    public const string Refusal = "refusal";

    /// <summary>
    /// Maps a finish reason. Tool calls decide over the reason given: several compatible servers finish a tool call
    /// with <c>stop</c>, and a <c>tool_calls</c> finish without any call is an ordinary end of turn.
    /// </summary>
    public static string FromOpenAI(string? finishReason, bool sawToolCalls) => finishReason switch
    {
        "length" => MaxTokens,
        "content_filter" => Refusal,
        _ when sawToolCalls => ToolUse,
        _ => EndTurn,
    };
}
