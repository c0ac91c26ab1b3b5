namespace Vdm.Gateway;

/// <summary>
/// The gateway state new requests start on. A reload <see cref="Replace"/>s it as a whole; a request takes its
/// snapshot once (<see cref="Acquire"/>, through <see cref="GatewayStateLease"/>) and keeps it to its end, so it never
/// sees half of an old configuration and half of a new one, and the old state's clients stay open until it is done.
/// </summary>
internal sealed class GatewayStateHolder(GatewayState initial) : IDisposable
{
    // The holder owns one share of the current state; each request owns another.
    private GatewayState _current = initial;
    private int _disposed;

    public GatewayState Current => Volatile.Read(ref _current);

    /// <summary>The current state with a share taken; the caller releases it.</summary>
    public GatewayState Acquire()
    {
        while (true)
        {
            var state = Volatile.Read(ref _current);
            if (state.TryRetain())
            {
                return state;
            }

            // Replaced and fully released between the read and the retain: the next read sees its successor. When
            // there is none, the holder itself was disposed (the server has stopped).
            ObjectDisposedException.ThrowIf(ReferenceEquals(Volatile.Read(ref _current), state), this);
        }
    }

    /// <summary>Makes <paramref name="next"/> the state new requests get; the old one ends with its last request.</summary>
    public void Replace(GatewayState next)
    {
        ArgumentNullException.ThrowIfNull(next);
        Interlocked.Exchange(ref _current, next).Release();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            Volatile.Read(ref _current).Release();
        }
    }
}
