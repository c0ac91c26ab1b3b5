using System.Collections.Frozen;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Keys;
using Vdm.Gateway.Routing;
using Vdm.Gateway.Upstream;

namespace Vdm.Gateway;

/// <summary>
/// What the request pipeline works with, built once from a settings snapshot: the settings, the model router, one
/// key ring per static-key provider, and the pooled upstream clients. A reload builds a new one and the requests
/// already running finish on theirs (<see cref="GatewayStateHolder"/>), so the upstream clients are released only
/// when the last request using this state has ended.
/// </summary>
internal sealed class GatewayState
{
    private readonly FrozenDictionary<string, ApiKeyRing> _keyRings;
    private readonly ReferenceCount _references = new();

    /// <param name="previous">
    /// The state this one replaces on a reload, or null: its key rings are kept for providers whose keys did not
    /// change (their cooldowns survive), and its upstream clients when the connection settings did not change (their
    /// pooled connections survive).
    /// </param>
    public GatewayState(GatewaySettings settings, TimeProvider time, GatewayState? previous = null)
    {
        Settings = settings;
        Time = time;
        Clients = previous is not null && previous.Settings.Outbound == settings.Outbound && previous.Settings.ConnectTimeout == settings.ConnectTimeout
            ? previous.Clients.Share()
            : new UpstreamClients(settings);
        try
        {
            Retries = new RetryPolicy(settings.MaxRetries, settings.RetryBaseDelay, settings.RetryAfterMax);
            Router = ModelRouter.Build(settings, out _, out _);
            _keyRings = settings.Providers
                .Where(provider => provider.Auth == ProviderAuth.Static)
                .ToFrozenDictionary(
                    provider => provider.Name,
                    provider => previous?.KeyRing(provider.Name) is { } ring && ring.HasSame(provider.Keys, settings.KeyCooldown)
                        ? ring
                        : new ApiKeyRing(provider.Name, provider.Keys, time, settings.KeyCooldown),
                    StringComparer.Ordinal);
        }
        catch
        {
            // No state comes of it, so nobody would ever release the clients: give back the share taken of the
            // previous state's (they close with that state), or close the ones just made.
            Clients.Dispose();
            throw;
        }
    }

    public GatewaySettings Settings { get; }

    public ModelRouter Router { get; }

    public TimeProvider Time { get; }

    public UpstreamClients Clients { get; }

    /// <summary>How failed upstream calls are retried (MAX_RETRIES, RETRY_AFTER_MAX_SECONDS).</summary>
    public RetryPolicy Retries { get; }

    public ApiKeyRing? KeyRing(string provider) => _keyRings.GetValueOrDefault(provider);

    /// <summary>Takes a share for one more user (a request); false once the state has been released for good.</summary>
    internal bool TryRetain() => _references.TryRetain();

    /// <summary>Gives a share back; the last one releases the upstream clients (which another state may still share).</summary>
    internal void Release()
    {
        if (_references.Release())
        {
            Clients.Dispose();
        }
    }
}
