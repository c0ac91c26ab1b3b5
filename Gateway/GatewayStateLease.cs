namespace Vdm.Gateway;

/// <summary>
/// One request's share of a <see cref="GatewayState"/>: resolved once per request scope, and released when the scope
/// ends with the request (after the last byte of a stream), which is what lets a reload retire the old state safely.
/// </summary>
internal sealed class GatewayStateLease(GatewayState state) : IDisposable
{
    private int _released;

    public GatewayState State { get; } = state;

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0)
        {
            State.Release();
        }
    }
}
