using Microsoft.Extensions.Hosting;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway;

/// <summary>
/// The grace in-flight requests get on SIGTERM or Ctrl+C: the server stops accepting at once, and
/// <see cref="Over"/> fires <c>SHUTDOWN_TIMEOUT_SECONDS</c> later, when upstream calls still waiting are answered 503
/// and streams still open end with an error event (never cut silently). The host's own shutdown timeout is set a
/// little longer (<see cref="HostTimeout"/>) so those last events are written before connections close.
/// </summary>
internal sealed class ShutdownGrace : IDisposable
{
    private readonly CancellationTokenSource _over;
    private readonly CancellationTokenRegistration _stopping;

    public ShutdownGrace(IHostApplicationLifetime lifetime, GatewaySettings settings, TimeProvider time)
    {
        _over = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        var grace = settings.ShutdownTimeout;
        _stopping = lifetime.ApplicationStopping.Register(() => _over.CancelAfter(grace));
    }

    /// <summary>Fires when the grace after a stop request has run out.</summary>
    public CancellationToken Over => _over.Token;

    /// <summary>How long the host waits for requests before closing connections: the grace, plus time for the final error events.</summary>
    public static TimeSpan HostTimeout(GatewaySettings settings) => settings.ShutdownTimeout + TimeSpan.FromSeconds(1.5);

    public void Dispose()
    {
        _stopping.Dispose();
        _over.Dispose();
    }
}
