// STUB: replaced by helper/keys at merge.
#pragma warning disable
using System.Collections.Immutable;
namespace Vdm.Gateway.Keys;

internal sealed class ApiKeyRing(ImmutableArray<string> keys, TimeProvider? time = null, TimeSpan? cooldown = null)
{
    public KeyAttempt Begin(string? sessionId) => new(keys);
}
internal sealed class KeyAttempt(ImmutableArray<string> keys)
{
    private int _next;
    public bool TryNext(out string key) { if (_next < keys.Length) { key = keys[_next++]; return true; } key = ""; return false; }
    public void Failed(string key, int status, TimeSpan? retryAfter) { }
}
