using System.Collections.Concurrent;

namespace Vdm.Gateway.Middleware;

/// <summary>
/// Signatures by tool-call id, for the one case the id cannot carry its signature: a stream that sent the call's id
/// to the client before the signature arrived. Bounded (<c>THOUGHT_SIGNATURE_MAX_CACHE_SIZE</c>: past it, the expired
/// entries go, then the oldest tenth) and expiring (<c>THOUGHT_SIGNATURE_CACHE_TTL</c>); lookups take no lock.
/// </summary>
internal sealed class ThoughtSignatureStore(int maxSize, TimeSpan ttl, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, (string Signature, long Expires)> _entries = new(StringComparer.Ordinal);
    private readonly Lock _trimming = new();

    public int Count => _entries.Count;

    public bool IsEmpty => _entries.IsEmpty;

    public void Add(string id, string signature)
    {
        if (maxSize <= 0)
        {
            return;
        }

        var now = time.GetUtcNow().UtcTicks;
        _entries[id] = (signature, now + ttl.Ticks);
        if (_entries.Count > maxSize)
        {
            Trim(now);
        }
    }

    public bool TryGet(string id, out string signature)
    {
        if (_entries.TryGetValue(id, out var entry))
        {
            if (entry.Expires > time.GetUtcNow().UtcTicks)
            {
                signature = entry.Signature;
                return true;
            }

            // Gone stale: out it goes, so an idle store becomes empty again (and requests skip looking in it).
            _entries.TryRemove(new KeyValuePair<string, (string, long)>(id, entry));
        }

        signature = "";
        return false;
    }

    private void Trim(long now)
    {
        lock (_trimming)
        {
            if (_entries.Count <= maxSize)
            {
                return;
            }

            foreach (var (id, entry) in _entries)
            {
                if (entry.Expires <= now)
                {
                    _entries.TryRemove(id, out _);
                }
            }

            var excess = _entries.Count - maxSize;
            if (excess <= 0)
            {
                return;
            }

            // The oldest tenth at least (so a full store is not trimmed on every add), by expiry, which is age.
            var remove = Math.Max(excess, maxSize / 10);
            foreach (var (id, _) in _entries.OrderBy(pair => pair.Value.Expires).Take(remove).ToList())
            {
                _entries.TryRemove(id, out _);
            }
        }
    }
}
