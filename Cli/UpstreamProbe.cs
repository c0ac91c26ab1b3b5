using Vdm.Gateway.Configuration;
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
        if (provider.Auth == ProviderAuth.Passthrough)
        {
            return new UpstreamProbeResult(provider.Name, "skipped", null, null, ProviderModelList.Url(provider), "!PASSTHRU: it uses each client's own key");
        }

        var answer = await ProviderModelList.FetchAsync(clients, provider, Timeout, cancellationToken).ConfigureAwait(false);
        var status = answer switch
        {
            { Body: not null } => "ok",

            // No model list at this address: the provider answered, but the key could not be checked this way.
            { HttpStatus: 404 or 405 } => "reachable",
            _ => "failed",
        };
        var detail = status == "reachable" ? "answered, but has no model list to check the key with" : answer.Problem;
        return new UpstreamProbeResult(provider.Name, status, answer.HttpStatus, answer.Latency, answer.Url, detail);
    }
}
