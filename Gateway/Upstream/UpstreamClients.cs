using System.Collections.Concurrent;
using System.Net;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Upstream;

/// <summary>
/// One pooled HTTP handler per provider, shared by every request and key: connections are reused, HTTP/2 is used
/// where offered, and pooled connections are renewed every few minutes so DNS changes are seen. No per-key or
/// per-request clients (the original cached one per key, without bound).
/// </summary>
internal sealed class UpstreamClients(GatewaySettings settings) : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpMessageInvoker> _invokers = new(StringComparer.Ordinal);

    public HttpMessageInvoker For(string provider) => _invokers.GetOrAdd(provider, static (_, settings) => Create(settings), settings);

    public void Dispose()
    {
        foreach (var invoker in _invokers.Values)
        {
            invoker.Dispose();
        }
    }

    private static HttpMessageInvoker Create(GatewaySettings settings) => new(
        new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(1),
            ConnectTimeout = settings.ConnectTimeout,
            EnableMultipleHttp2Connections = true,

            // A gateway relays bytes: no cookies, no redirects followed on the client's behalf, no decompression
            // (vdm asks for none, and a compressed stream could not be flushed event by event).
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
        },
        disposeHandler: true);
}
