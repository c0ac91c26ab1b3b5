using System.Collections.Concurrent;
using Vdm.Gateway.Keys;
using static Vdm.Tests.Gateway.Keys.KeyRingTesting;

namespace Vdm.Tests.Gateway.Keys;

public class ApiKeyRingTests
{
    [Test]
    public async Task Begin_NoSession_StartsAtEachKeyInTurn()
    {
        var ring = Ring(new ManualTimeProvider(), "k1", "k2", "k3");

        var firsts = Enumerable.Range(0, 7).Select(_ => First(ring, null)).ToList();

        await Assert.That(string.Join(" ", firsts)).IsEqualTo("k1 k2 k3 k1 k2 k3 k1");
    }

    [Test]
    public async Task Begin_SameSession_PrefersTheSameKeyEveryTime()
    {
        var ring = Ring(new ManualTimeProvider(), "k1", "k2", "k3", "k4");
        var expected = First(ring, "session-a");

        var seen = new HashSet<string>();
        for (var i = 0; i < 200; i++)
        {
            _ = First(ring, null);
            seen.Add(First(ring, "session-a"));
        }

        await Assert.That(seen).IsEquivalentTo([expected]);
    }

    [Test]
    public async Task Begin_SameSessionOnAnotherRingWithTheSameKeys_PrefersTheSameKey()
    {
        var first = Ring(new ManualTimeProvider(), "k1", "k2", "k3");
        var second = Ring(new ManualTimeProvider(), "k1", "k2", "k3");

        var keys = Enumerable.Range(0, 50).Select(i => $"s-{i}").ToList();

        await Assert.That(string.Join(" ", keys.Select(s => First(second, s)))).IsEqualTo(string.Join(" ", keys.Select(s => First(first, s))));
    }

    [Test]
    [Arguments(2)]
    [Arguments(3)]
    [Arguments(5)]
    public async Task Begin_DifferentSessions_SpreadOverTheKeys(int keyCount)
    {
        var keys = Enumerable.Range(1, keyCount).Select(i => $"k{i}").ToArray();
        var ring = Ring(new ManualTimeProvider(), keys);
        const int Sessions = 2000;

        var counts = Enumerable.Range(0, Sessions)
            .Select(i => First(ring, new Guid(i, 7, 7, [1, 2, 3, 4, 5, 6, 7, 8]).ToString()))
            .GroupBy(key => key)
            .ToDictionary(group => group.Key, group => group.Count());

        var fair = Sessions / keyCount;
        await Assert.That(counts.Count).IsEqualTo(keyCount);
        await Assert.That(counts.Values.Min()).IsGreaterThan(fair * 8 / 10);
        await Assert.That(counts.Values.Max()).IsLessThan(fair * 12 / 10);
    }

    [Test]
    public async Task Begin_SessionKeyCoolingDown_FallsBackToTheSameOtherKeyThenReturns()
    {
        var time = new ManualTimeProvider();
        var ring = Ring(time, "k1", "k2", "k3");
        var own = First(ring, "s");
        var attempt = ring.Begin("s");
        attempt.TryNext(out var key);
        attempt.Failed(key!, 429, TimeSpan.FromSeconds(30));

        var fallbacks = Enumerable.Range(0, 20).Select(_ => First(ring, "s")).Distinct().ToList();
        time.Advance(TimeSpan.FromSeconds(30));
        var after = First(ring, "s");

        await Assert.That(fallbacks.Count).IsEqualTo(1);
        await Assert.That(fallbacks[0]).IsNotEqualTo(own);
        await Assert.That(after).IsEqualTo(own);
    }

    [Test]
    public async Task Constructor_DuplicateKeys_KeepsEachOnceInOrder()
    {
        var ring = Ring(new ManualTimeProvider(), "k1", "k2", "k1", "k3");

        var order = Drain(ring.Begin(null));

        await Assert.That(ring.Count).IsEqualTo(3);
        await Assert.That(string.Join(" ", order)).IsEqualTo("k1 k2 k3");
    }

    [Test]
    public async Task Constructor_NoKeys_Throws()
    {
        await Assert.That(() => new ApiKeyRing("prov", [], new ManualTimeProvider())).Throws<ArgumentException>();
    }

    [Test]
    public async Task Constructor_EmptyKey_Throws()
    {
        await Assert.That(() => new ApiKeyRing("prov", ["k1", ""], new ManualTimeProvider())).Throws<ArgumentException>();
    }

    [Test]
    public async Task CooldownRemaining_AfterFailure_CountsDownToZero()
    {
        var time = new ManualTimeProvider();
        var ring = Ring(time, "k1", "k2");
        var attempt = ring.Begin(null);
        attempt.TryNext(out var key);
        attempt.Failed(key!, 401, null);

        var initially = ring.CooldownRemaining("k1");
        time.Advance(TimeSpan.FromSeconds(45));
        var later = ring.CooldownRemaining("k1");
        time.Advance(TimeSpan.FromSeconds(15));
        var end = ring.CooldownRemaining("k1");

        await Assert.That(initially).IsEqualTo(ApiKeyRing.DefaultCooldown);
        await Assert.That(later).IsEqualTo(TimeSpan.FromSeconds(15));
        await Assert.That(end).IsEqualTo(TimeSpan.Zero);
        await Assert.That(ring.CooldownRemaining("k2")).IsEqualTo(TimeSpan.Zero);
        await Assert.That(ring.CooldownRemaining("unknown")).IsEqualTo(TimeSpan.Zero);
    }

    [Test]
    [Arguments(401, false, true)]
    [Arguments(402, false, true)]
    [Arguments(403, false, true)]
    [Arguments(429, false, true)]
    [Arguments(400, true, true)]
    [Arguments(400, false, false)]
    [Arguments(404, false, false)]
    [Arguments(500, false, false)]
    [Arguments(529, false, false)]
    public async Task IsKeyFailure_Status_IsTrueOnlyForKeyProblems(int status, bool insufficientQuota, bool expected)
    {
        await Assert.That(ApiKeyRing.IsKeyFailure(status, insufficientQuota)).IsEqualTo(expected);
    }

    [Test]
    public async Task Begin_ManyThreads_HandOutKeysEvenlyWithoutErrors()
    {
        var time = new ManualTimeProvider();
        var ring = Ring(time, "k1", "k2", "k3", "k4");
        var counts = new ConcurrentDictionary<string, int>();
        const int PerThread = 5000;
        const int Threads = 8;

        await Task.WhenAll(Enumerable.Range(0, Threads).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                var attempt = ring.Begin(i % 10 == 0 ? $"s-{t}-{i}" : null);
                if (attempt.TryNext(out var key))
                {
                    counts.AddOrUpdate(key, 1, (_, n) => n + 1);
                    if (i % 500 == 0)
                    {
                        // Rest a key for zero time: exercises the cooldown writes alongside the reads.
                        attempt.Failed(key, 429, TimeSpan.FromTicks(1));
                        time.Advance(TimeSpan.FromTicks(2));
                    }
                }
            }
        })));

        var fair = Threads * PerThread / 4;
        await Assert.That(counts.Values.Sum()).IsEqualTo(Threads * PerThread);
        await Assert.That(counts.Values.Min()).IsGreaterThan(fair * 9 / 10);
        await Assert.That(counts.Values.Max()).IsLessThan(fair * 11 / 10);
    }
}
