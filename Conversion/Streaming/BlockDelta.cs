namespace Vdm.Conversion.Streaming;

/// <summary>The kinds of <c>content_block_delta</c> the stream translator emits.</summary>
internal enum BlockDelta
{
    Text,
    Thinking,
    Signature,
    InputJson,
}
