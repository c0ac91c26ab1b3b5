using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>
/// Reads one of a running vdm's JSON endpoints for the <c>--url</c> form of <c>vdm models</c> and <c>vdm aliases</c>,
/// with the configured proxy key when there is one (never printed).
/// </summary>
internal static class RunningServer
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The body, or null with the problem (unreachable, refused, not vdm).</summary>
    public static async Task<(byte[]? Body, string? Problem)> GetAsync(string url, string pathAndQuery, GatewaySettings? settings, CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var root) || root.Scheme is not ("http" or "https"))
        {
            return (null, $"--url {url}: must be an http:// or https:// URL");
        }

        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(root, pathAndQuery));
        if (settings?.ProxyApiKey is { } proxyKey)
        {
            request.Headers.TryAddWithoutValidation("x-api-key", proxyKey);
        }

        try
        {
            using var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? (body, null)
                : (null, $"{request.RequestUri} answered HTTP {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(body.AsSpan(0, Math.Min(body.Length, 300)))}");
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return (null, $"could not reach {request.RequestUri}: {exception.Message}");
        }
    }
}
