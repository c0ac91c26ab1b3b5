using System.Diagnostics.CodeAnalysis;

namespace Vdm.Gateway.Keys;

/// <summary>
/// The keys one request tries, in order: the preferred key first, then every other key not cooling down, each at most
/// once; when every key is cooling down, the one whose rest ends first, so a request never gets zero attempts. Also
/// collects what the upstream answered, for <see cref="Exhausted"/>. One per request: not thread-safe.
/// </summary>
internal sealed class KeyAttempt
{
    private readonly ApiKeyRing _ring;
    private readonly int _start;
    private int _offset;
    private int _tried;
    private int _failures;
    private int _lastStatus;
    private bool _rateLimited;
    private TimeSpan? _smallestRetryAfter;

    internal KeyAttempt(ApiKeyRing ring, int start)
    {
        _ring = ring;
        _start = start;
    }

    /// <summary>How many keys <see cref="TryNext"/> has handed out so far.</summary>
    public int Tried => _tried;

    /// <summary>The next key to try, or false when every usable key has been tried.</summary>
    public bool TryNext([NotNullWhen(true)] out string? key)
    {
        var count = _ring.Count;
        var now = _ring.Now();
        while (_offset < count)
        {
            var index = (_start + _offset) % count;
            _offset++;
            if (!_ring.IsCooling(index, now))
            {
                key = Take(index);
                return true;
            }
        }

        if (_tried == 0)
        {
            key = Take(EarliestRecovery(count));
            return true;
        }

        key = null;
        return false;
    }

    /// <summary>
    /// Records the upstream's answer to <paramref name="key"/>. A key failure (401, 402, 403, 429, or
    /// <paramref name="insufficientQuota"/>) rests the key for <paramref name="retryAfter"/>, else the ring's default
    /// cooldown, and returns true: another key may do better. Any other status returns false: the request itself is
    /// at fault, or the upstream is, and another key would get the same answer.
    /// </summary>
    public bool Failed(string key, int status, TimeSpan? retryAfter, bool insufficientQuota = false)
    {
        ArgumentNullException.ThrowIfNull(key);

        _failures++;
        _lastStatus = status;
        if (status == 429)
        {
            _rateLimited = true;
            if (ApiKeyRing.Clamp(retryAfter) is { } wait && (_smallestRetryAfter is null || wait < _smallestRetryAfter))
            {
                _smallestRetryAfter = wait;
            }
        }

        if (!ApiKeyRing.IsKeyFailure(status, insufficientQuota))
        {
            return false;
        }

        var index = _ring.IndexOf(key);
        if (index >= 0)
        {
            _ring.CoolDown(index, retryAfter);
        }

        return true;
    }

    /// <summary>
    /// What to tell the client once <see cref="TryNext"/> ran out: the upstream's own status (429 with the smallest
    /// <c>retry-after</c> when any key was rate limited; a 401 stays a 401). Null when no failure was recorded.
    /// </summary>
    public KeyRingExhausted? Exhausted =>
        _failures == 0
            ? null
            : new KeyRingExhausted(
                _ring.Provider,
                _tried,
                _ring.Count,
                _rateLimited ? 429 : _lastStatus,
                _rateLimited ? _smallestRetryAfter : null);

    private string Take(int index)
    {
        _tried++;
        return _ring.KeyAt(index);
    }

    // Ties go to the key nearest the preferred one, so a session falls back to the same key every time.
    private int EarliestRecovery(int count)
    {
        var best = _start;
        var bestUntil = long.MaxValue;
        for (var offset = 0; offset < count; offset++)
        {
            var index = (_start + offset) % count;
            var until = _ring.CoolingUntil(index);
            if (until < bestUntil)
            {
                best = index;
                bestUntil = until;
            }
        }

        return best;
    }
}
