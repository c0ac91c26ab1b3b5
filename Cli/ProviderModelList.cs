using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Vdm.Conversion.Response;
using Vdm.Gateway.Auth;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Endpoints;
using Vdm.Gateway.Upstream;

namespace Vdm.Cli;

/// <summary>A provider's answer to a model-list request, or why there was none.</summary>
/// <param name="HttpStatus">The provider's status; null when it could not be reached.</param>
/// <param name="Body">The answer's body on a 2xx; null otherwise.</param>
/// <param name="Problem">For anything but a 2xx: the provider's own error message, or the connection problem.</param>
internal sealed record ProviderModelListAnswer(int? HttpStatus, byte[]? Body, TimeSpan Latency, string Url, string? Problem);

/// <summary>
/// Asks a provider for its model list the way the gateway would (<see cref="ModelsEndpoint.CreateRequest"/>: its
/// format's URL, its first key, its custom headers), through the gateway's proxy and CA settings, within a timeout.
/// Shared by <c>vdm health upstream</c> and <c>vdm models --provider</c>.
/// </summary>
internal static class ProviderModelList
{
    /// <summary>The URL that would be asked, for display (no query string).</summary>
    public static string Url(ProviderSettings provider)
    {
        using var request = Create(provider);
        return TransportFailure.Display(request.RequestUri!);
    }

    public static async Task<ProviderModelListAnswer> FetchAsync(
        UpstreamClients clients, ProviderSettings provider, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var request = Create(provider);
        var url = TransportFailure.Display(request.RequestUri!);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await clients.For(provider.Name).SendAsync(request, limit.Token).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(limit.Token).ConfigureAwait(false);
            var latency = Stopwatch.GetElapsedTime(started);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode
                ? new ProviderModelListAnswer(status, body, latency, url, null)
                : new ProviderModelListAnswer(status, null, latency, url,
                    UpstreamErrorMapper.Map(status, body, response.Content.Headers.ContentType?.MediaType).Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ProviderModelListAnswer(null, null, Stopwatch.GetElapsedTime(started), url, $"no answer within {timeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException exception)
        {
            var failure = TransportFailure.From(exception, provider.Name, request.RequestUri!, clients.ProxyFor(request.RequestUri!));
            return new ProviderModelListAnswer(null, null, Stopwatch.GetElapsedTime(started), url, failure.FailureMessage);
        }
    }

    private static HttpRequestMessage Create(ProviderSettings provider) =>
        ModelsEndpoint.CreateRequest(provider, provider.Keys.FirstOrDefault(), UpstreamKeyScheme.XApiKey, new HeaderDictionary());
}
