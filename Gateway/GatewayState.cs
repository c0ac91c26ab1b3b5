using System.Collections.Frozen;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Keys;
using Vdm.Gateway.Routing;
using Vdm.Gateway.Upstream;

namespace Vdm.Gateway;

/// <summary>
/// What the request pipeline works with, built once from a settings snapshot: the settings, the model router, one
/// key ring per static-key provider, and the pooled upstream clients.
/// </summary>
internal sealed class GatewayState : IDisposable
{
    private readonly FrozenDictionary<string, ApiKeyRing> _keyRings;

    public GatewayState(GatewaySettings settings, TimeProvider time)
    {
        Settings = settings;
        Time = time;
        Clients = new UpstreamClients(settings);
        Retries = new RetryPolicy(settings.MaxRetries, settings.RetryBaseDelay, settings.RetryAfterMax);
        Router = ModelRouter.Build(settings, out _, out _);
        _keyRings = settings.Providers
            .Where(provider => provider.Auth == ProviderAuth.Static)
            .ToFrozenDictionary(provider => provider.Name, provider => new ApiKeyRing(provider.Name, provider.Keys, time, settings.KeyCooldown), StringComparer.Ordinal);
    }

    public GatewaySettings Settings { get; }

    public ModelRouter Router { get; }

    public TimeProvider Time { get; }

    public UpstreamClients Clients { get; }

    /// <summary>How failed upstream calls are retried (MAX_RETRIES, RETRY_AFTER_MAX_SECONDS).</summary>
    public RetryPolicy Retries { get; }

    public ApiKeyRing? KeyRing(string provider) => _keyRings.GetValueOrDefault(provider);

    public void Dispose() => Clients.Dispose();
}
