using Vdm.Gateway.Keys;

namespace Vdm.Tests.Gateway.Keys;

public class KeyRingExhaustedTests
{
    [Test]
    public async Task Message_AllKeysTried_NamesTheProviderCountAndStatus()
    {
        var exhausted = new KeyRingExhausted("openai", 3, 3, 401, null);

        await Assert.That(exhausted.Message).IsEqualTo("the gateway's upstream credentials for provider 'openai' failed (3 keys tried; upstream status 401)");
    }

    [Test]
    public async Task Message_SomeCoolingAndRateLimited_SaysSoAndWhenToRetry()
    {
        var exhausted = new KeyRingExhausted("poe", 1, 3, 429, TimeSpan.FromSeconds(1.2));

        await Assert.That(exhausted.Message).IsEqualTo("the gateway's upstream credentials for provider 'poe' failed (1 key tried, 2 more cooling down; upstream status 429); retry after 2 s");
    }

    [Test]
    [Arguments(0.0, 0)]
    [Arguments(0.001, 1)]
    [Arguments(5.0, 5)]
    [Arguments(5.5, 6)]
    public async Task RetryAfterSeconds_FractionalWait_RoundsUp(double seconds, int expected)
    {
        var exhausted = new KeyRingExhausted("p", 1, 1, 429, TimeSpan.FromSeconds(seconds));

        await Assert.That(exhausted.RetryAfterSeconds).IsEqualTo(expected);
    }

    [Test]
    public async Task Message_ThroughAnAttempt_NeverContainsAKey()
    {
        var ring = new ApiKeyRing("prov", ["sk-secret-one", "sk-secret-two"], new ManualTimeProvider());
        var attempt = ring.Begin(null);
        while (attempt.TryNext(out var key))
        {
            attempt.Failed(key, 429, TimeSpan.FromSeconds(3));
        }

        var text = attempt.Exhausted!.Message + attempt.Exhausted;

        await Assert.That(text).DoesNotContain("sk-secret");
    }
}
