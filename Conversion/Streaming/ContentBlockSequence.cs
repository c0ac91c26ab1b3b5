using System.Buffers;

namespace Vdm.Conversion.Streaming;

/// <summary>
/// Keeps Anthropic content blocks strictly sequential: at most one block is open, indices grow by one in start order,
/// and a block is stopped before the next one starts, so no delta can ever follow its block's stop (peers.md §3.4
/// item 57). It also counts the streamed bytes for an output-token estimate when the upstream sends no usage.
/// </summary>
internal sealed class ContentBlockSequence
{
    private readonly AnthropicEventWriter _events;
    private readonly ArrayBufferWriter<byte> _signature = new();
    private BlockKind _open;
    private int _index = -1;

    public ContentBlockSequence(AnthropicEventWriter events) => _events = events;

    /// <summary>Escaped bytes of text, thinking and tool arguments streamed so far.</summary>
    public long StreamedBytes { get; private set; }

    /// <summary>Appends text or thinking, opening a block of that kind first unless one is open.</summary>
    public void Append(BlockKind kind, ReadOnlySpan<byte> escaped)
    {
        if (escaped.IsEmpty)
        {
            return;
        }

        if (_open != kind)
        {
            Close();
            _open = kind;
            _index++;
            if (kind == BlockKind.Thinking)
            {
                _events.WriteThinkingStart(_index);
            }
            else
            {
                _events.WriteTextStart(_index);
            }
        }

        _events.WriteDelta(_index, kind == BlockKind.Thinking ? BlockDelta.Thinking : BlockDelta.Text, escaped);
        StreamedBytes += escaped.Length;
    }

    /// <summary>Keeps a thinking signature for the <c>signature_delta</c> Anthropic sends right before the block's stop.</summary>
    /// <remarks>A signature with no thinking block open belongs to nothing the client has and is dropped.</remarks>
    public void AddSignature(ReadOnlySpan<byte> escaped)
    {
        if (_open == BlockKind.Thinking)
        {
            _signature.Write(escaped);
        }
    }

    public void StartTool(string id, string name)
    {
        Close();
        _open = BlockKind.ToolUse;
        _index++;
        _events.WriteToolUseStart(_index, id, name);
    }

    /// <summary>Forwards an argument fragment verbatim to the open tool block; empty fragments are not sent.</summary>
    public void AppendToolArguments(ReadOnlySpan<byte> escaped)
    {
        if (escaped.IsEmpty || _open != BlockKind.ToolUse)
        {
            return;
        }

        _events.WriteDelta(_index, BlockDelta.InputJson, escaped);
        StreamedBytes += escaped.Length;
    }

    /// <summary>Stops the open block, if any.</summary>
    public void Close()
    {
        if (_open == BlockKind.None)
        {
            return;
        }

        if (_open == BlockKind.Thinking && _signature.WrittenCount > 0)
        {
            _events.WriteDelta(_index, BlockDelta.Signature, _signature.WrittenSpan);
            _signature.ResetWrittenCount();
        }

        _events.WriteBlockStop(_index);
        _open = BlockKind.None;
    }
}
