using System.Net.Http;
using Vdm.Conversion;

namespace Vdm.Gateway.Upstream;

/// <summary>
/// What the client is told when a provider could not be reached at all, by cause: a 502 naming the provider and its
/// URL for a refused connection, a name that does not resolve, a failed TLS handshake or a dropped connection; a 504
/// naming the timeout that ran out. Whether the failure is worth another attempt comes with it.
/// </summary>
internal static class TransportFailure
{
    /// <param name="proxy">The outbound proxy the call went through, or null when it went direct.</param>
    /// <param name="bodySent">
    /// Whether the provider had the whole request before the connection failed: then it may have started (and will
    /// bill) a generation, so only a failure to connect at all is retried.
    /// </param>
    public static UpstreamResult From(HttpRequestException exception, string provider, Uri url, Uri? proxy = null, bool bodySent = false)
    {
        var where = $"provider '{provider}' at {Display(url)}";
        var detail = InnermostMessage(exception);
        var (message, retryable) = exception.HttpRequestError switch
        {
            // Through a proxy, the connection that failed to open is the one to the proxy.
            HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError when proxy is not null =>
                ($"could not connect to the outbound proxy {proxy.GetLeftPart(UriPartial.Authority)} on the way to {where}: {detail}", true),
            HttpRequestError.NameResolutionError => ($"could not resolve the host of {where}: {detail}", true),
            HttpRequestError.ConnectionError => ($"could not connect to {where}: {detail}", true),

            // A certificate the gateway does not trust will not become trusted by trying again, nor a proxy login.
            HttpRequestError.SecureConnectionError => ($"the TLS handshake with {where} failed: {detail}", false),
            HttpRequestError.ProxyTunnelError => ($"the outbound proxy could not open a tunnel to {where}: {detail}", !IsProxyLoginRefused(exception)),
            _ => ($"the connection to {where} failed before it answered: {detail}", !bodySent),
        };
        return new UpstreamResult(null, 502, AnthropicErrorTypes.Api, message) { Retryable = retryable };
    }

    public static UpstreamResult ConnectTimeout(string provider, Uri url, TimeSpan timeout) =>
        new(null, 504, AnthropicErrorTypes.Timeout,
            $"could not connect to provider '{provider}' at {Display(url)} within {Seconds(timeout)} s (STREAMING_CONNECT_TIMEOUT_SECONDS)")
        {
            Retryable = true,
        };

    public static UpstreamResult RequestTimeout(string provider, TimeSpan timeout) =>
        new(null, 504, AnthropicErrorTypes.Timeout, $"provider '{provider}' did not answer within {Seconds(timeout)} s (REQUEST_TIMEOUT)");

    public static UpstreamResult ShuttingDown(string provider) =>
        new(null, 503, AnthropicErrorTypes.Overloaded, $"vdm is shutting down; the call to provider '{provider}' was abandoned, retry it");

    /// <summary>The URL without its query, which can carry an API version or, for some vendors, a key.</summary>
    public static string Display(Uri url) => url.GetLeftPart(UriPartial.Path);

    private static string Seconds(TimeSpan timeout) => timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);

    private static bool IsProxyLoginRefused(HttpRequestException exception) =>
        exception.StatusCode == System.Net.HttpStatusCode.ProxyAuthenticationRequired || exception.Message.Contains("'407'", StringComparison.Ordinal);

    // "An error occurred while sending the request" says nothing; the socket's own words ("Connection refused") do.
    internal static string InnermostMessage(Exception exception)
    {
        var inner = exception;
        while (inner.InnerException is { } next)
        {
            inner = next;
        }

        return inner.Message;
    }
}
