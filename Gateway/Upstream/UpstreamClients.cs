using System.Collections.Concurrent;
using System.Net;
using System.Net.Security;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Upstream;

/// <summary>
/// One pooled HTTP handler per provider, shared by every request and key: connections are reused, HTTP/2 is used
/// where offered, and pooled connections are renewed every few minutes so DNS changes are seen. No per-key or
/// per-request clients (the original cached one per key, without bound). Every handler leaves through the configured
/// proxy and trusts the configured CA certificates (<see cref="OutboundNetwork"/>). A reload that leaves those and
/// the connect timeout alone shares the clients with the new state (<see cref="Share"/>); the last owner disposes.
/// </summary>
internal sealed class UpstreamClients : IDisposable
{
    // Lazy, so that two first requests to a provider racing through GetOrAdd still build (and later dispose) one handler.
    private readonly ConcurrentDictionary<string, Lazy<HttpMessageInvoker>> _invokers = new(StringComparer.Ordinal);
    private readonly GatewaySettings _settings;
    private readonly OutboundProxy? _proxy;
    private readonly TrustedRoots? _roots;
    private readonly ReferenceCount _owners = new();

    public UpstreamClients(GatewaySettings settings)
    {
        _settings = settings;
        _proxy = OutboundProxy.Create(settings.Outbound);
        _roots = TrustedRoots.Load(settings.Outbound);
    }

    public HttpMessageInvoker For(string provider) =>
        _invokers.GetOrAdd(provider, static (_, self) => new Lazy<HttpMessageInvoker>(self.Create), this).Value;

    /// <summary>The proxy a call to <paramref name="destination"/> goes through, or null when it goes direct; for error messages.</summary>
    public Uri? ProxyFor(Uri destination) => _proxy?.GetProxy(destination);

    /// <summary>Takes a share for one more owner, who disposes it like the first; the handlers close with the last.</summary>
    public UpstreamClients Share() =>
        _owners.TryRetain() ? this : throw new ObjectDisposedException(nameof(UpstreamClients));

    public void Dispose()
    {
        if (!_owners.Release())
        {
            return;
        }

        foreach (var invoker in _invokers.Values)
        {
            if (invoker.IsValueCreated)
            {
                invoker.Value.Dispose();
            }
        }

        _roots?.Dispose();
    }

    private HttpMessageInvoker Create() => new(CreateHandler(_settings, _proxy, _roots), disposeHandler: true);

    internal static SocketsHttpHandler CreateHandler(GatewaySettings settings, OutboundProxy? proxy, TrustedRoots? roots)
    {
        var handler = new SocketsHttpHandler
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

            // An answer disposed before its end is drained so its connection can be reused: after a stream's [DONE]
            // only the chunked terminator is left, and a new connection per request would cost more than the request.
            // But only briefly: a provider still generating (vdm stopped reading for another reason) is cut after
            // this, not after the default 2 s. (A client that leaves cancels the read, which closes the connection.)
            ResponseDrainTimeout = TimeSpan.FromMilliseconds(200),

            // The settings are the only source of the proxy: with UseProxy and no Proxy the handler would read
            // HTTPS_PROXY from the process environment itself, past the flags and .env files that may override it.
            UseProxy = proxy is not null,
            Proxy = proxy,
        };

        // No CA configured: no callback, so the platform's validation runs alone.
        if (roots is not null)
        {
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = roots.Validate };
        }

        return handler;
    }
}
