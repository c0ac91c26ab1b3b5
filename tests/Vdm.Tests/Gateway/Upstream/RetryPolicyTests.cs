using Vdm.Gateway.Upstream;

namespace Vdm.Tests.Gateway.Upstream;

public class RetryPolicyTests
{
    private static RetryPolicy Policy(double random, int maxRetries = 5) =>
        new(maxRetries, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(30), () => random);

    [Test]
    [Arguments(408, true)]
    [Arguments(409, true)]
    [Arguments(429, true)]
    [Arguments(500, true)]
    [Arguments(502, true)]
    [Arguments(503, true)]
    [Arguments(504, true)]
    [Arguments(529, true)]
    [Arguments(400, false)]
    [Arguments(401, false)]
    [Arguments(403, false)]
    [Arguments(404, false)]
    [Arguments(413, false)]
    [Arguments(422, false)]
    [Arguments(501, false)]
    [Arguments(200, false)]
    public async Task IsRetryable_FollowsTheStatusTable(int status, bool retryable)
    {
        await Assert.That(RetryPolicy.IsRetryable(status)).IsEqualTo(retryable);
    }

    [Test]
    [Arguments(1, 500)]
    [Arguments(2, 1000)]
    [Arguments(3, 2000)]
    [Arguments(4, 4000)]
    [Arguments(5, 8000)]
    [Arguments(6, 8000)]
    [Arguments(40, 8000)]
    public async Task DelayBefore_DoublesFromTheBaseUpToEightSeconds(int retry, int fullMilliseconds)
    {
        // Equal jitter: between half the full backoff (random 0) and all of it (random → 1).
        await Assert.That(Policy(0).DelayBefore(retry, null)).IsEqualTo(TimeSpan.FromMilliseconds(fullMilliseconds / 2.0));
        await Assert.That(Policy(0.999).DelayBefore(retry, null)!.Value.TotalMilliseconds).IsBetween(fullMilliseconds * 0.99, fullMilliseconds);
    }

    [Test]
    public async Task DelayBefore_RetryAfterWithinTheCap_IsTakenAsIs()
    {
        await Assert.That(Policy(0.5).DelayBefore(1, TimeSpan.FromSeconds(12))).IsEqualTo(TimeSpan.FromSeconds(12));
        await Assert.That(Policy(0.5).DelayBefore(1, TimeSpan.FromSeconds(30))).IsEqualTo(TimeSpan.FromSeconds(30));
    }

    [Test]
    public async Task DelayBefore_RetryAfterBeyondTheCap_MeansDoNotRetry()
    {
        await Assert.That(Policy(0.5).DelayBefore(1, TimeSpan.FromSeconds(31))).IsNull();
    }

    [Test]
    public async Task DelayBefore_RetryAfterInThePast_IsNoWait()
    {
        await Assert.That(Policy(0.5).DelayBefore(1, TimeSpan.FromSeconds(-3))).IsEqualTo(TimeSpan.Zero);
    }

    [Test]
    public async Task None_AllowsNoRetry()
    {
        await Assert.That(RetryPolicy.None.MaxRetries).IsEqualTo(0);
    }
}
