using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Vdm.Conversion.Response;
using Vdm.Gateway.Auth;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Endpoints;
using Vdm.Gateway.Upstream;

namespace Vdm.Cli;

/// <summary>One provider as <c>vdm health upstream</c> found it.</summary>
/// <param name="Status"><c>ok</c> (its model list answered), <c>reachable</c> (it answered, but has no model list to check the key with), <c>failed</c>, or <c>skipped</c>.</param>
internal sealed record UpstreamProbeResult(string Provider, string Status, int? HttpStatus, TimeSpan? Latency, string Url, string? Detail)
{
    public bool Failed => Status == "failed";
}

/// <summary>
/// Probes a provider the cheap way: its model list (<c>GET /models</c>, Anthropic's <c>/v1/models</c>, Azure's
/// deployment-independent list), with its first key, through the same proxy and CA settings the gateway uses. No
/// tokens are spent. A provider that forwards each client's key (<c>!PASSTHRU</c>) has no key to probe with.
/// </summary>
internal static class UpstreamProbe
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    public static async Task<UpstreamProbeResult> RunAsync(UpstreamClients clients, ProviderSettings provider, CancellationToken cancellationToken)
    {
        using var request = ModelsEndpoint.CreateRequest(provider, provider.Keys.FirstOrDefault(), UpstreamKeyScheme.XApiKey, new HeaderDictionary());
        var url = TransportFailure.Display(request.RequestUri!);
        if (provider.Auth == ProviderAuth.Passthrough)
        {
            return new UpstreamProbeResult(provider.Name, "skipped", null, null, url, "!PASSTHRU: it uses each client's own key");
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await clients.For(provider.Name).SendAsync(request, timeout.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
            var latency = Stopwatch.GetElapsedTime(started);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                return new UpstreamProbeResult(provider.Name, "ok", status, latency, url, null);
            }

            // No model list at this address: the provider answered, but the key could not be checked this way.
            if (status is 404 or 405)
            {
                return new UpstreamProbeResult(provider.Name, "reachable", status, latency, url, "answered, but has no model list to check the key with");
            }

            var message = UpstreamErrorMapper.Map(status, body, response.Content.Headers.ContentType?.MediaType).Message;
            return new UpstreamProbeResult(provider.Name, "failed", status, latency, url, message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new UpstreamProbeResult(provider.Name, "failed", null, Stopwatch.GetElapsedTime(started), url, $"no answer within {Timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException exception)
        {
            var failure = TransportFailure.From(exception, provider.Name, request.RequestUri!, clients.ProxyFor(request.RequestUri!));
            return new UpstreamProbeResult(provider.Name, "failed", null, Stopwatch.GetElapsedTime(started), url, failure.FailureMessage);
        }
    }
}
