namespace Vdm.Conversion.Streaming;

/// <summary>The kinds of Anthropic content block the stream translator opens.</summary>
internal enum BlockKind
{
    None,
    Text,
    Thinking,
    ToolUse,
}
