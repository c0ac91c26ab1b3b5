using Vdm.Gateway.Keys;

namespace Vdm.Tests.Gateway.Keys;

/// <summary>Small helpers shared by the key ring tests.</summary>
internal static class KeyRingTesting
{
    public static ApiKeyRing Ring(ManualTimeProvider time, params string[] keys) => new("prov", keys, time);

    /// <summary>Every key the attempt hands out, in order, without reporting failures.</summary>
    public static List<string> Drain(KeyAttempt attempt)
    {
        var keys = new List<string>();
        while (attempt.TryNext(out var key))
        {
            keys.Add(key);
        }

        return keys;
    }

    public static string First(ApiKeyRing ring, string? sessionId) =>
        ring.Begin(sessionId).TryNext(out var key) ? key : throw new InvalidOperationException("no key");
}
