using System.Buffers;

namespace Vdm.Conversion.Streaming;

/// <summary>
/// An incremental, byte-level server-sent-events parser over a stream (WHATWG "event stream interpretation"): LF, CRLF
/// and lone CR line ends, <c>data:</c> with or without one space, several <c>data:</c> lines joined with LF,
/// <c>event:</c> names, comment lines ignored, events and UTF-8 code points split anywhere across reads, and lines of
/// any length. The current event is a view of pooled memory, valid until the next <see cref="TryRead"/> or
/// <see cref="ReadAsync"/>; nothing is allocated per event once the buffers have grown to the stream's largest event.
/// </summary>
internal sealed class SseEventReader : IDisposable
{
    private const int MinimumRead = 4 * 1024;

    private readonly Stream _stream;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private byte[] _data;
    private int _dataLength;
    private int _dataLines;
    private byte[] _eventType;
    private int _eventTypeLength;
    private bool _dispatched;
    private bool _skipLineFeed;

    // Small to start: a stream holds its buffers for minutes, and thousands of streams may be open; an event larger
    // than this grows them (once) rather than every stream paying for the largest event up front.
    public SseEventReader(Stream stream, int initialBufferSize = 4 * 1024)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(initialBufferSize, MinimumRead));
        _data = ArrayPool<byte>.Shared.Rent(Math.Max(initialBufferSize, MinimumRead));
        _eventType = ArrayPool<byte>.Shared.Rent(64);
    }

    /// <summary>The joined <c>data:</c> lines of the current event, without the final line feed.</summary>
    public ReadOnlySpan<byte> Data => _data.AsSpan(0, _dataLength);

    /// <summary>The current event's <c>event:</c> name; empty when it had none (the default "message").</summary>
    public ReadOnlySpan<byte> EventType => _eventType.AsSpan(0, _eventTypeLength);

    /// <summary>True once the stream has ended; an unterminated last event is dropped, as the WHATWG rules require.</summary>
    public bool EndOfStream { get; private set; }

    /// <summary>Takes the next event when it is already complete in the buffer, without reading the stream.</summary>
    /// <returns>True when an event is available in <see cref="Data"/>; false when none is complete in the buffer.</returns>
    /// <remarks>
    /// A caller that flushes its own output only when this fails writes once per upstream read rather than once per
    /// event, and still sends every event before it waits on the upstream.
    /// </remarks>
    public bool TryRead()
    {
        if (_dispatched)
        {
            _dispatched = false;
            _dataLength = 0;
            _dataLines = 0;
            _eventTypeLength = 0;
        }

        return TryDispatchBufferedEvent();
    }

    /// <summary>Reads up to the next complete event.</summary>
    /// <returns>True when an event is available in <see cref="Data"/>; false at the end of the stream.</returns>
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        while (!TryRead())
        {
            if (EndOfStream)
            {
                return false;
            }

            MakeRoom();
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                EndOfStream = true;
                _start = _end = 0;
                return false;
            }

            _end += read;
        }

        return true;
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        ArrayPool<byte>.Shared.Return(_data);
        ArrayPool<byte>.Shared.Return(_eventType);
        _buffer = _data = _eventType = [];
    }

    /// <summary>Consumes every complete line in the buffer until one ends an event.</summary>
    private bool TryDispatchBufferedEvent()
    {
        while (_start < _end)
        {
            var pending = _buffer.AsSpan(_start, _end - _start);
            if (_skipLineFeed)
            {
                // A CR ended the previous line at the end of a read; a LF right after it belongs to the same line end.
                _skipLineFeed = false;
                if (pending[0] == (byte)'\n')
                {
                    _start++;
                    continue;
                }
            }

            var lineEnd = pending.IndexOfAny((byte)'\r', (byte)'\n');
            if (lineEnd < 0)
            {
                return false;
            }

            var terminatorLength = 1;
            if (pending[lineEnd] == (byte)'\r')
            {
                if (lineEnd + 1 < pending.Length)
                {
                    terminatorLength = pending[lineEnd + 1] == (byte)'\n' ? 2 : 1;
                }
                else
                {
                    _skipLineFeed = true;
                }
            }

            _start += lineEnd + terminatorLength;
            if (ProcessLine(pending[..lineEnd]))
            {
                return true;
            }
        }

        return false;
    }

    /// <returns>True when the line was the blank line that dispatches an event with data.</returns>
    private bool ProcessLine(ReadOnlySpan<byte> line)
    {
        if (line.IsEmpty)
        {
            if (_dataLines == 0)
            {
                // An event without data lines is not dispatched, and its name does not carry over.
                _eventTypeLength = 0;
                return false;
            }

            _dispatched = true;
            return true;
        }

        if (line[0] == (byte)':')
        {
            return false;
        }

        var colon = line.IndexOf((byte)':');
        var field = colon < 0 ? line : line[..colon];
        var value = colon < 0 ? [] : line[(colon + 1)..];
        if (!value.IsEmpty && value[0] == (byte)' ')
        {
            value = value[1..];
        }

        if (field.SequenceEqual("data"u8))
        {
            AppendData(value);
        }
        else if (field.SequenceEqual("event"u8))
        {
            Store(ref _eventType, value);
            _eventTypeLength = value.Length;
        }

        // id and retry are not needed for a relay that never reconnects; unknown fields are ignored by the standard.
        return false;
    }

    private void AppendData(ReadOnlySpan<byte> value)
    {
        var separator = _dataLines > 0 ? 1 : 0;
        var needed = _dataLength + separator + value.Length;
        if (needed > _data.Length)
        {
            Grow(ref _data, _dataLength, needed);
        }

        if (separator == 1)
        {
            _data[_dataLength++] = (byte)'\n';
        }

        value.CopyTo(_data.AsSpan(_dataLength));
        _dataLength += value.Length;
        _dataLines++;
    }

    /// <summary>Moves unconsumed bytes to the front and grows the buffer when a single line fills it.</summary>
    private void MakeRoom()
    {
        var pending = _end - _start;
        if (_start > 0)
        {
            _buffer.AsSpan(_start, pending).CopyTo(_buffer);
            _start = 0;
            _end = pending;
        }

        if (_buffer.Length - _end < MinimumRead)
        {
            Grow(ref _buffer, _end, _buffer.Length * 2);
        }
    }

    private static void Store(ref byte[] target, ReadOnlySpan<byte> value)
    {
        if (value.Length > target.Length)
        {
            Grow(ref target, 0, value.Length);
        }

        value.CopyTo(target);
    }

    private static void Grow(ref byte[] buffer, int keep, int minimumLength)
    {
        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(minimumLength, buffer.Length * 2));
        buffer.AsSpan(0, keep).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(buffer);
        buffer = larger;
    }
}
