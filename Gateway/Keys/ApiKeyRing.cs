using System.Collections.Immutable;

namespace Vdm.Gateway.Keys;

/// <summary>
/// The static keys of one provider and their health: hands each request an order in which to try them (round robin,
/// or sticky per Claude Code session so prompt caching keeps working) and keeps keys that failed cooling down.
/// Thread-safe and lock-free: a counter and one cooldown timestamp per key, both updated with interlocked operations.
/// </summary>
internal sealed class ApiKeyRing
{
    /// <summary>How long a key rests after a 401/403/429/quota answer that carried no <c>retry-after</c>.</summary>
    public static readonly TimeSpan DefaultCooldown = TimeSpan.FromSeconds(60);

    /// <summary>The longest rest a <c>retry-after</c> can impose; longer (or absurd) values are cut to it.</summary>
    public static readonly TimeSpan MaxCooldown = TimeSpan.FromDays(1);

    private readonly ImmutableArray<string> _keys;
    private readonly long[] _coolingUntil;
    private readonly TimeProvider _time;
    private readonly TimeSpan _cooldown;
    private uint _next;

    /// <param name="provider">The provider's name, for the exhaustion message.</param>
    /// <param name="keys">The keys in rotation order; duplicates are dropped (they would share one health).</param>
    /// <param name="time">The clock for cooldowns; <see cref="TimeProvider.System"/> outside tests.</param>
    /// <param name="cooldown">The rest after a key failure without <c>retry-after</c>; <see cref="DefaultCooldown"/> when null.</param>
    public ApiKeyRing(string provider, IEnumerable<string> keys, TimeProvider time, TimeSpan? cooldown = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(provider);
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(time);

        _keys = [.. keys.Distinct(StringComparer.Ordinal)];
        if (_keys.IsEmpty || _keys.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("A key ring needs at least one key, and no empty ones.", nameof(keys));
        }

        var rest = cooldown ?? DefaultCooldown;
        ArgumentOutOfRangeException.ThrowIfLessThan(rest, TimeSpan.Zero, nameof(cooldown));
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rest, MaxCooldown, nameof(cooldown));

        Provider = provider;
        _time = time;
        _cooldown = rest;
        _coolingUntil = new long[_keys.Length];
    }

    public string Provider { get; }

    public int Count => _keys.Length;

    /// <summary>
    /// Starts the attempt sequence of one request. With a session id the first key is the session's own (a stable hash
    /// of the id), so the session's requests share one key and its prompt cache; without one, the next key in turn.
    /// </summary>
    public KeyAttempt Begin(string? sessionId)
    {
        var start = string.IsNullOrEmpty(sessionId)
            ? (int)((Interlocked.Increment(ref _next) - 1) % (uint)_keys.Length)
            : (int)(StableHash(sessionId) % (uint)_keys.Length);
        return new KeyAttempt(this, start);
    }

    /// <summary>Whether answering <paramref name="status"/> means the key itself is unusable for now, so another key may do better.</summary>
    public static bool IsKeyFailure(int status, bool insufficientQuota = false) =>
        insufficientQuota || status is 401 or 402 or 403 or 429;

    /// <summary>How long <paramref name="key"/> still rests; zero when it is healthy (or not one of this ring's keys).</summary>
    public TimeSpan CooldownRemaining(string key)
    {
        var index = IndexOf(key);
        if (index < 0)
        {
            return TimeSpan.Zero;
        }

        var now = _time.GetTimestamp();
        var until = Volatile.Read(ref _coolingUntil[index]);
        return until > now ? _time.GetElapsedTime(now, until) : TimeSpan.Zero;
    }

    /// <summary>Whether this ring rotates exactly <paramref name="keys"/> with <paramref name="cooldown"/>, so a reload can keep it and its cooldowns.</summary>
    internal bool HasSame(IEnumerable<string> keys, TimeSpan cooldown) =>
        cooldown == _cooldown && _keys.SequenceEqual(keys.Distinct(StringComparer.Ordinal), StringComparer.Ordinal);

    internal string KeyAt(int index) => _keys[index];

    internal long Now() => _time.GetTimestamp();

    internal bool IsCooling(int index, long now) => Volatile.Read(ref _coolingUntil[index]) > now;

    internal long CoolingUntil(int index) => Volatile.Read(ref _coolingUntil[index]);

    internal int IndexOf(string key)
    {
        for (var i = 0; i < _keys.Length; i++)
        {
            if (string.Equals(_keys[i], key, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>Rests the key until now + <paramref name="duration"/>, never shortening a longer rest set by another request.</summary>
    internal void CoolDown(int index, TimeSpan? duration)
    {
        var rest = Clamp(duration) ?? _cooldown;
        var until = _time.GetTimestamp() + (long)(rest.TotalSeconds * _time.TimestampFrequency);
        var current = Volatile.Read(ref _coolingUntil[index]);
        while (until > current)
        {
            var seen = Interlocked.CompareExchange(ref _coolingUntil[index], until, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    /// <summary>A usable <c>retry-after</c>: null when absent or not positive, at most <see cref="MaxCooldown"/>.</summary>
    internal static TimeSpan? Clamp(TimeSpan? retryAfter) =>
        retryAfter is { } given && given > TimeSpan.Zero ? (given < MaxCooldown ? given : MaxCooldown) : null;

    // FNV-1a over the UTF-16 code units, then MurmurHash3's finaliser so the low bits (all that "% Count" keeps) mix
    // in every character. Not string.GetHashCode: that is randomised per process, and a session should keep its key
    // (and its prompt cache) across a gateway restart too.
    private static uint StableHash(string value)
    {
        var hash = 2166136261u;
        foreach (var c in value)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash ^= hash >> 16;
        hash *= 0x85ebca6bu;
        hash ^= hash >> 13;
        hash *= 0xc2b2ae35u;
        hash ^= hash >> 16;
        return hash;
    }
}
