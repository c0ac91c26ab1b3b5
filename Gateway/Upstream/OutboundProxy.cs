using System.Net;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway.Upstream;

/// <summary>
/// The proxy for upstream calls, from the configuration alone (never from the process environment behind its back):
/// https:// providers go through <c>HTTPS_PROXY</c>, http:// ones through <c>HTTP_PROXY</c>, and a scheme without a
/// proxy goes direct. Loopback hosts always go direct, as in Go's net/http: a local model server is never behind the
/// corporate proxy, and sending it there would fail or leak. So do the hosts of <c>NO_PROXY</c>.
/// </summary>
/// <remarks>
/// Credentials in a proxy URL (<c>http://user:pass@proxy:3128</c>) are answered to the proxy's 407 challenge and are
/// never part of the proxy address this class hands out, so error messages that name the proxy cannot show them.
/// </remarks>
internal sealed class OutboundProxy : IWebProxy
{
    private readonly ProxyEndpoint? _https;
    private readonly ProxyEndpoint? _http;
    private readonly NoProxyList _bypass;

    private OutboundProxy(ProxyEndpoint? https, ProxyEndpoint? http, NoProxyList bypass)
    {
        _https = https;
        _http = http;
        _bypass = bypass;
        Credentials = https?.Credential is not null || http?.Credential is not null ? new EndpointCredentials(https, http) : null;
    }

    /// <summary>The proxy for <paramref name="network"/>, or null when it names none (then the handler must use no proxy at all).</summary>
    public static OutboundProxy? Create(OutboundNetwork network) =>
        network.HttpsProxy is null && network.HttpProxy is null
            ? null
            : new OutboundProxy(
                ProxyEndpoint.Parse(network.HttpsProxy), ProxyEndpoint.Parse(network.HttpProxy), NoProxyList.Parse(network.NoProxy, out _));

    public ICredentials? Credentials { get; set; }

    public Uri? GetProxy(Uri destination) => IsBypassed(destination) ? null : For(destination)?.Address;

    public bool IsBypassed(Uri host) => For(host) is null || IsLoopback(host) || _bypass.Matches(host);

    /// <summary><c>localhost</c> and its subdomains (RFC 6761 keeps them on this machine), 127.0.0.0/8 and ::1.</summary>
    internal static bool IsLoopback(Uri destination)
    {
        if (NoProxyList.HostAddress(destination) is { } address)
        {
            return IPAddress.IsLoopback(address);
        }

        var host = destination.IdnHost.TrimEnd('.');
        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);
    }

    private ProxyEndpoint? For(Uri destination) => destination.Scheme switch
    {
        "https" => _https,
        "http" => _http,
        _ => null,
    };

    /// <summary>A proxy's address without user information, and the credentials that were in it.</summary>
    private sealed record ProxyEndpoint(Uri Address, NetworkCredential? Credential)
    {
        public static ProxyEndpoint? Parse(string? url)
        {
            if (url is null)
            {
                return null;
            }

            var uri = new Uri(url, UriKind.Absolute);
            var address = new Uri(uri.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped), UriKind.Absolute);
            if (uri.UserInfo.Length == 0)
            {
                return new ProxyEndpoint(address, null);
            }

            // user:pass as written in a URL, so percent-escaped: p%40ss is p@ss.
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            var user = colon < 0 ? uri.UserInfo : uri.UserInfo[..colon];
            var password = colon < 0 ? "" : uri.UserInfo[(colon + 1)..];
            return new ProxyEndpoint(address, new NetworkCredential(Uri.UnescapeDataString(user), Uri.UnescapeDataString(password)));
        }
    }

    /// <summary>Each proxy's own credentials: the handler asks with the proxy address it was given, for any scheme the proxy wants.</summary>
    private sealed class EndpointCredentials(ProxyEndpoint? https, ProxyEndpoint? http) : ICredentials
    {
        public NetworkCredential? GetCredential(Uri uri, string authType) =>
            Same(https, uri) ? https!.Credential : Same(http, uri) ? http!.Credential : null;

        private static bool Same(ProxyEndpoint? endpoint, Uri uri) =>
            endpoint is not null
            && Uri.Compare(
                endpoint.Address, uri, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;
    }
}
