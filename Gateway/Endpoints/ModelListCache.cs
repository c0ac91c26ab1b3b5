using System.Collections.Concurrent;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// Providers' model lists, kept in memory for <see cref="Lifetime"/> per provider (and, for a passthrough provider,
/// per client key, since the list may depend on the account), so a client that polls <c>/v1/models</c> does not
/// reach the provider each time. Only successful lists are kept.
/// </summary>
internal sealed class ModelListCache(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, (DateTimeOffset Expires, IReadOnlyList<ModelEntry> Models)> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string key, out IReadOnlyList<ModelEntry> models)
    {
        if (_entries.TryGetValue(key, out var entry) && time.GetUtcNow() < entry.Expires)
        {
            models = entry.Models;
            return true;
        }

        models = [];
        return false;
    }

    public void Set(string key, IReadOnlyList<ModelEntry> models) => _entries[key] = (time.GetUtcNow() + Lifetime, models);

    /// <summary>Forgets every list: after a reload a provider may be gone, or have another URL or other keys.</summary>
    public void Clear() => _entries.Clear();
}
