using System.Buffers;

namespace Vdm.Conversion.Streaming;

/// <summary>
/// Turns OpenAI tool-call fragments, possibly interleaved by <c>index</c>, into sequential <c>tool_use</c> blocks
/// (peers.md §3.4 items 63–67): the first unfinished call streams live, later ones are buffered (pooled) and each is
/// emitted start → deltas → stop once the one before it can no longer change. Argument fragments are forwarded
/// verbatim, still JSON-escaped, and never parsed.
/// </summary>
internal sealed class ToolCallQueue : IDisposable
{
    private readonly ContentBlockSequence _blocks;
    private readonly ToolNameMap _names;
    private readonly Func<string, string> _mintId;
    private readonly List<ToolCall> _calls = [];
    private readonly Dictionary<int, ToolCall> _byIndex = [];
    private int _head;

    public ToolCallQueue(ContentBlockSequence blocks, ToolNameMap names, Func<string, string> mintId)
    {
        _blocks = blocks;
        _names = names;
        _mintId = mintId;
    }

    /// <summary>Whether any tool_use block was started.</summary>
    public bool SawToolCalls { get; private set; }

    /// <summary>Whether calls are open or waiting.</summary>
    public bool HasPending => _head < _calls.Count;

    public void Add(in ToolCallFragment fragment, ReadOnlySpan<byte> chunk)
    {
        // A new id on a used index is a new call: some servers number every call 0. The old call can change no more.
        if (!_byIndex.TryGetValue(fragment.Index, out var call)
            || (fragment.Id is not null && call.UpstreamId is not null && fragment.Id != call.UpstreamId))
        {
            call?.Superseded = true;
            call = new ToolCall();
            _calls.Add(call);
            _byIndex[fragment.Index] = call;
        }

        call.UpstreamId ??= fragment.Id;
        call.Name ??= fragment.Name;
        var arguments = fragment.Arguments.Of(chunk);
        if (call.Started)
        {
            // A started call that is not superseded is the head, so it is the open block.
            _blocks.AppendToolArguments(arguments);
        }
        else
        {
            call.Buffer(arguments);
        }

        Advance();
    }

    /// <summary>Ends every call (finish, or text after tools): buffered calls are emitted; calls never named are dropped.</summary>
    public void CloseAll()
    {
        foreach (var call in _byIndex.Values)
        {
            call.Superseded = true;
        }

        _byIndex.Clear();
        Advance();
    }

    public void Dispose()
    {
        foreach (var call in _calls)
        {
            call.Release();
        }
    }

    private void Advance()
    {
        while (_head < _calls.Count)
        {
            var call = _calls[_head];
            if (!call.Started)
            {
                if (call.Name is null)
                {
                    if (!call.Superseded)
                    {
                        // The block start needs the name; later calls wait behind this one to keep the order.
                        return;
                    }

                    call.Release();
                    _head++;
                    continue;
                }

                _blocks.StartTool(call.UpstreamId ?? _mintId("toolu_"), _names.ToClient(call.Name));
                call.Started = true;
                SawToolCalls = true;
                _blocks.AppendToolArguments(call.Pending);
                call.Release();
            }

            if (!call.Superseded)
            {
                return;
            }

            _blocks.Close();
            _head++;
        }
    }

    /// <summary>One upstream call: what is known of it and, until its block starts, its buffered argument bytes.</summary>
    private sealed class ToolCall
    {
        private byte[]? _pending;
        private int _length;

        public string? UpstreamId { get; set; }

        public string? Name { get; set; }

        public bool Started { get; set; }

        public bool Superseded { get; set; }

        public ReadOnlySpan<byte> Pending => _pending.AsSpan(0, _length);

        public void Buffer(ReadOnlySpan<byte> escaped)
        {
            if (escaped.IsEmpty)
            {
                return;
            }

            // Escaped fragments concatenate into valid escaped text: JSON escapes never span two strings.
            if (_pending is null || _length + escaped.Length > _pending.Length)
            {
                var larger = ArrayPool<byte>.Shared.Rent(Math.Max(_length + escaped.Length, 256));
                Pending.CopyTo(larger);
                var length = _length;
                Release();
                (_pending, _length) = (larger, length);
            }

            escaped.CopyTo(_pending.AsSpan(_length));
            _length += escaped.Length;
        }

        public void Release()
        {
            if (_pending is not null)
            {
                ArrayPool<byte>.Shared.Return(_pending);
                _pending = null;
            }

            _length = 0;
        }
    }
}
