namespace Vdm.Conversion;

/// <summary>
/// Watches relayed Anthropic stream bytes for the event that ends a stream (<c>message_stop</c>, or an
/// <c>error</c>), even when its name is split across two reads, so that a stream that simply stops can be told from
/// one that finished.
/// </summary>
internal sealed class StreamEndWatch
{
    private const int Carry = 24;
    private readonly byte[] _window = new byte[2 * Carry];
    private int _carried;

    public bool Seen { get; private set; }

    public void Observe(ReadOnlySpan<byte> bytes)
    {
        if (Seen || bytes.IsEmpty)
        {
            return;
        }

        // Across the boundary: the previous read's tail and this read's head, side by side.
        var head = Math.Min(bytes.Length, Carry);
        bytes[..head].CopyTo(_window.AsSpan(_carried));
        if (IsEnd(_window.AsSpan(0, _carried + head)) || IsEnd(bytes))
        {
            Seen = true;
            return;
        }

        var tail = bytes.Length >= Carry ? bytes[^Carry..] : _window.AsSpan(0, _carried + head)[^Math.Min(Carry, _carried + head)..];
        tail.CopyTo(_window);
        _carried = tail.Length;
    }

    private static bool IsEnd(ReadOnlySpan<byte> bytes) =>
        bytes.IndexOf("event: message_stop"u8) >= 0 || bytes.IndexOf("event: error"u8) >= 0;
}
