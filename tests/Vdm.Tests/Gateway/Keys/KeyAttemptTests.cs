using Vdm.Gateway.Keys;
using static Vdm.Tests.Gateway.Keys.KeyRingTesting;

namespace Vdm.Tests.Gateway.Keys;

public class KeyAttemptTests
{
    // Reports a failure through a session's attempt, so the round-robin turn does not move.
    private static void Fail(ApiKeyRing ring, string key, int status, TimeSpan? retryAfter = null)
    {
        var attempt = ring.Begin("helper");
        attempt.Failed(key, status, retryAfter);
    }

    [Test]
    public async Task TryNext_HealthyRing_GivesThePreferredKeyThenEveryOtherOnceInRingOrder()
    {
        var ring = Ring(new ManualTimeProvider(), "k1", "k2", "k3");
        _ = ring.Begin(null);

        var order = Drain(ring.Begin(null));

        await Assert.That(string.Join(" ", order)).IsEqualTo("k2 k3 k1");
    }

    [Test]
    public async Task TryNext_AfterEveryKey_StaysFalse()
    {
        var ring = Ring(new ManualTimeProvider(), "k1");
        var attempt = ring.Begin(null);
        attempt.TryNext(out _);

        var again = attempt.TryNext(out var key);
        var still = attempt.TryNext(out _);

        await Assert.That(again).IsFalse();
        await Assert.That(still).IsFalse();
        await Assert.That(key).IsNull();
        await Assert.That(attempt.Tried).IsEqualTo(1);
    }

    [Test]
    public async Task TryNext_FailingOver_TriesEachKeyOnceThenStops()
    {
        var ring = Ring(new ManualTimeProvider(), "k1", "k2", "k3");
        var attempt = ring.Begin(null);
        var tried = new List<string>();

        while (attempt.TryNext(out var key))
        {
            tried.Add(key);
            attempt.Failed(key, 429, null);
        }

        await Assert.That(string.Join(" ", tried)).IsEqualTo("k1 k2 k3");
        await Assert.That(attempt.Tried).IsEqualTo(3);
    }

    [Test]
    public async Task TryNext_KeyCoolingDown_IsSkipped()
    {
        var ring = Ring(new ManualTimeProvider(), "k1", "k2", "k3");
        Fail(ring, "k2", 401);

        var order = Drain(ring.Begin(null));

        await Assert.That(string.Join(" ", order)).IsEqualTo("k1 k3");
    }

    [Test]
    public async Task TryNext_DefaultCooldownOver_KeyIsBack()
    {
        var time = new ManualTimeProvider();
        var ring = Ring(time, "k1", "k2");
        Fail(ring, "k1", 403);

        time.Advance(ApiKeyRing.DefaultCooldown - TimeSpan.FromSeconds(1));
        var during = Drain(ring.Begin("any"));
        time.Advance(TimeSpan.FromSeconds(1));
        var after = Drain(ring.Begin(null));

        await Assert.That(during).DoesNotContain("k1");
        await Assert.That(after).Contains("k1");
    }

    [Test]
    public async Task TryNext_RetryAfterGiven_RestsForThatLongInsteadOfTheDefault()
    {
        var time = new ManualTimeProvider();
        var ring = new ApiKeyRing("prov", ["k1", "k2"], time, TimeSpan.FromMinutes(10));
        Fail(ring, "k1", 429, TimeSpan.FromSeconds(5));

        time.Advance(TimeSpan.FromSeconds(4));
        var during = Drain(ring.Begin(null));
        time.Advance(TimeSpan.FromSeconds(1));
        var after = Drain(ring.Begin(null));

        await Assert.That(during).DoesNotContain("k1");
        await Assert.That(after).Contains("k1");
    }

    [Test]
    public async Task TryNext_ConfiguredCooldown_IsUsedWithoutRetryAfter()
    {
        var time = new ManualTimeProvider();
        var ring = new ApiKeyRing("prov", ["k1", "k2"], time, TimeSpan.FromSeconds(10));
        Fail(ring, "k1", 401);

        time.Advance(TimeSpan.FromSeconds(10));

        await Assert.That(ring.CooldownRemaining("k1")).IsEqualTo(TimeSpan.Zero);
    }

    [Test]
    public async Task Failed_ShorterRestAfterALongerOne_KeepsTheLongerRest()
    {
        var time = new ManualTimeProvider();
        var ring = Ring(time, "k1", "k2");
        Fail(ring, "k1", 429, TimeSpan.FromSeconds(300));
        Fail(ring, "k1", 401);

        time.Advance(TimeSpan.FromSeconds(120));

        await Assert.That(ring.CooldownRemaining("k1")).IsEqualTo(TimeSpan.FromSeconds(180));
    }

    [Test]
    public async Task TryNext_EveryKeyCoolingDown_TriesOnlyTheOneThatRecoversFirst()
    {
        var time = new ManualTimeProvider();
        var ring = Ring(time, "k1", "k2", "k3");
        Fail(ring, "k1", 429, TimeSpan.FromSeconds(30));
        Fail(ring, "k2", 429, TimeSpan.FromSeconds(10));
        Fail(ring, "k3", 429, TimeSpan.FromSeconds(20));

        var order = Drain(ring.Begin(null));
        var forSession = Drain(ring.Begin("s"));

        await Assert.That(string.Join(" ", order)).IsEqualTo("k2");
        await Assert.That(string.Join(" ", forSession)).IsEqualTo("k2");
    }

    [Test]
    public async Task TryNext_SomeTriedAndTheRestCooling_StopsWithoutTheFallback()
    {
        var ring = Ring(new ManualTimeProvider(), "k1", "k2", "k3");
        Fail(ring, "k2", 429);
        Fail(ring, "k3", 429);
        var attempt = ring.Begin(null);

        attempt.TryNext(out var first);
        attempt.Failed(first!, 401, null);
        var more = attempt.TryNext(out _);

        await Assert.That(first).IsEqualTo("k1");
        await Assert.That(more).IsFalse();
        await Assert.That(attempt.Exhausted!.Tried).IsEqualTo(1);
        await Assert.That(attempt.Exhausted!.Total).IsEqualTo(3);
    }

    [Test]
    [Arguments(401, false)]
    [Arguments(402, false)]
    [Arguments(403, false)]
    [Arguments(429, false)]
    [Arguments(400, true)]
    public async Task Failed_KeyFailure_ReturnsTrueAndRestsTheKey(int status, bool insufficientQuota)
    {
        var ring = Ring(new ManualTimeProvider(), "k1", "k2");
        var attempt = ring.Begin(null);
        attempt.TryNext(out var key);

        var failOver = attempt.Failed(key!, status, null, insufficientQuota);

        await Assert.That(failOver).IsTrue();
        await Assert.That(ring.CooldownRemaining("k1")).IsEqualTo(ApiKeyRing.DefaultCooldown);
    }

    [Test]
    [Arguments(400)]
    [Arguments(404)]
    [Arguments(500)]
    [Arguments(503)]
    public async Task Failed_OtherStatus_ReturnsFalseAndLeavesTheKeyHealthy(int status)
    {
        var ring = Ring(new ManualTimeProvider(), "k1", "k2");
        var attempt = ring.Begin(null);
        attempt.TryNext(out var key);

        var failOver = attempt.Failed(key!, status, TimeSpan.FromSeconds(5));

        await Assert.That(failOver).IsFalse();
        await Assert.That(ring.CooldownRemaining("k1")).IsEqualTo(TimeSpan.Zero);
    }

    [Test]
    public async Task Exhausted_NoFailure_IsNull()
    {
        var attempt = Ring(new ManualTimeProvider(), "k1").Begin(null);
        attempt.TryNext(out _);

        await Assert.That(attempt.Exhausted).IsNull();
    }

    [Test]
    public async Task Exhausted_SingleKey401_Stays401()
    {
        var attempt = Ring(new ManualTimeProvider(), "k1").Begin(null);
        attempt.TryNext(out var key);
        attempt.Failed(key!, 401, null);

        var exhausted = attempt.Exhausted!;

        await Assert.That(exhausted.Status).IsEqualTo(401);
        await Assert.That(exhausted.RetryAfter).IsNull();
        await Assert.That(exhausted.Tried).IsEqualTo(1);
    }

    [Test]
    public async Task Exhausted_401Then403_IsTheLastStatus()
    {
        var attempt = Ring(new ManualTimeProvider(), "k1", "k2").Begin(null);
        attempt.TryNext(out var first);
        attempt.Failed(first!, 401, null);
        attempt.TryNext(out var second);
        attempt.Failed(second!, 403, null);

        await Assert.That(attempt.Exhausted!.Status).IsEqualTo(403);
    }

    [Test]
    public async Task Exhausted_AnyRateLimit_Is429WithTheSmallestRetryAfter()
    {
        var attempt = Ring(new ManualTimeProvider(), "k1", "k2", "k3", "k4").Begin(null);
        (int Status, TimeSpan? RetryAfter)[] answers =
            [(429, TimeSpan.FromSeconds(30)), (429, TimeSpan.FromSeconds(7)), (429, null), (401, TimeSpan.FromSeconds(1))];

        foreach (var (status, retryAfter) in answers)
        {
            attempt.TryNext(out var key);
            attempt.Failed(key!, status, retryAfter);
        }

        var exhausted = attempt.Exhausted!;

        await Assert.That(exhausted.Status).IsEqualTo(429);
        await Assert.That(exhausted.RetryAfter).IsEqualTo(TimeSpan.FromSeconds(7));
        await Assert.That(exhausted.Tried).IsEqualTo(4);
        await Assert.That(exhausted.Total).IsEqualTo(4);
    }

    [Test]
    public async Task Exhausted_RateLimitWithoutRetryAfter_Is429WithNone()
    {
        var attempt = Ring(new ManualTimeProvider(), "k1", "k2").Begin(null);
        attempt.TryNext(out var first);
        attempt.Failed(first!, 429, null);
        attempt.TryNext(out var second);
        attempt.Failed(second!, 401, null);

        await Assert.That(attempt.Exhausted!.Status).IsEqualTo(429);
        await Assert.That(attempt.Exhausted!.RetryAfter).IsNull();
    }

    [Test]
    public async Task Failed_HugeRetryAfter_IsCutToTheMaximum()
    {
        var ring = Ring(new ManualTimeProvider(), "k1");
        var attempt = ring.Begin(null);
        attempt.TryNext(out var key);

        attempt.Failed(key!, 429, TimeSpan.MaxValue);

        await Assert.That(ring.CooldownRemaining("k1")).IsEqualTo(ApiKeyRing.MaxCooldown);
        await Assert.That(attempt.Exhausted!.RetryAfter).IsEqualTo(ApiKeyRing.MaxCooldown);
    }

    [Test]
    public async Task Failed_ZeroOrNegativeRetryAfter_UsesTheDefaultCooldown()
    {
        var ring = Ring(new ManualTimeProvider(), "k1", "k2");
        var attempt = ring.Begin(null);
        attempt.TryNext(out var key);

        attempt.Failed(key!, 429, TimeSpan.FromSeconds(-3));

        await Assert.That(ring.CooldownRemaining("k1")).IsEqualTo(ApiKeyRing.DefaultCooldown);
        await Assert.That(attempt.Exhausted!.RetryAfter).IsNull();
    }
}
