namespace Vdm.Conversion;

/// <summary>
/// Watches relayed stream bytes for the line that ends a stream: <c>event: message_stop</c> or <c>event: error</c> in
/// an Anthropic stream, <c>data: [DONE]</c> in an OpenAI one. Only at the start of a line, and even when the line is
/// split across two reads, so that a stream that simply stops can be told from one that finished. A model's text or
/// tool input that mentions these words cannot pass for them: JSON strings hold no raw line feed.
/// </summary>
internal sealed class StreamEndWatch
{
    private static readonly byte[][] AnthropicEnds = ["\nevent: message_stop"u8.ToArray(), "\nevent: error"u8.ToArray()];
    private static readonly byte[][] OpenAIEnds = ["\ndata: [DONE]"u8.ToArray(), "\ndata:[DONE]"u8.ToArray()];

    private readonly byte[][] _ends;
    private readonly int _carry;
    private readonly byte[] _window;
    private int _carried;

    private StreamEndWatch(byte[][] ends)
    {
        _ends = ends;
        _carry = ends.Max(end => end.Length) - 1;
        _window = new byte[2 * _carry];

        // The stream's first line starts a line too.
        _window[0] = (byte)'\n';
        _carried = 1;
    }

    public bool Seen { get; private set; }

    /// <summary>For an Anthropic Messages stream.</summary>
    public static StreamEndWatch ForAnthropic() => new(AnthropicEnds);

    /// <summary>For an OpenAI Chat Completions stream.</summary>
    public static StreamEndWatch ForOpenAI() => new(OpenAIEnds);

    public void Observe(ReadOnlySpan<byte> bytes)
    {
        if (Seen || bytes.IsEmpty)
        {
            return;
        }

        // Across the boundary: the previous read's tail and this read's head, side by side.
        var head = Math.Min(bytes.Length, _carry);
        bytes[..head].CopyTo(_window.AsSpan(_carried));
        if (IsEnd(_window.AsSpan(0, _carried + head)) || IsEnd(bytes))
        {
            Seen = true;
            return;
        }

        var joined = _window.AsSpan(0, _carried + head);
        var tail = bytes.Length >= _carry ? bytes[^_carry..] : joined[^Math.Min(_carry, joined.Length)..];
        tail.CopyTo(_window);
        _carried = tail.Length;
    }

    private bool IsEnd(ReadOnlySpan<byte> bytes)
    {
        foreach (var end in _ends)
        {
            if (bytes.IndexOf(end) >= 0)
            {
                return true;
            }
        }

        return false;
    }
}
