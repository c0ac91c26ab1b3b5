using Vdm.Gateway.Middleware;

namespace Vdm.Tests.Gateway.Middleware;

public class ThoughtSignatureStoreTests
{
    private sealed class Clock : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = new(2026, 11, 25, 12, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Test]
    public async Task TryGet_WithinTheTtl_FindsItAndAfterItNot()
    {
        var clock = new Clock();
        var store = new ThoughtSignatureStore(10, TimeSpan.FromMinutes(60), clock);
        store.Add("call_1", "sig-1");

        clock.Now += TimeSpan.FromMinutes(59);
        var within = store.TryGet("call_1", out var signature);
        clock.Now += TimeSpan.FromMinutes(2);
        var after = store.TryGet("call_1", out _);

        await Assert.That((within, signature, after)).IsEqualTo((true, "sig-1", false));
    }

    [Test]
    public async Task Add_PastTheBound_DropsExpiredThenTheOldest()
    {
        var clock = new Clock();
        var store = new ThoughtSignatureStore(100, TimeSpan.FromMinutes(60), clock);
        for (var i = 0; i < 100; i++)
        {
            store.Add($"call_{i}", $"sig-{i}");
            clock.Now += TimeSpan.FromSeconds(1);
        }

        store.Add("call_new", "sig-new");

        await Assert.That(store.Count).IsLessThanOrEqualTo(100);
        await Assert.That(store.TryGet("call_0", out _)).IsFalse();
        await Assert.That(store.TryGet("call_99", out _)).IsTrue();
        await Assert.That(store.TryGet("call_new", out _)).IsTrue();
    }

    [Test]
    public async Task Add_FromManyThreads_StaysWithinTheBoundAndKeepsTheLatest()
    {
        var store = new ThoughtSignatureStore(1000, TimeSpan.FromMinutes(60), TimeProvider.System);

        await Parallel.ForAsync(0, 20_000, async (i, _) =>
        {
            store.Add($"call_{i}", $"sig-{i}");
            await Task.Yield();
        });
        store.Add("call_last", "sig-last");

        await Assert.That(store.Count).IsLessThanOrEqualTo(1000);
        await Assert.That(store.TryGet("call_last", out var last)).IsTrue();
        await Assert.That(last).IsEqualTo("sig-last");
    }

    [Test]
    public async Task Add_ZeroSize_KeepsNothing()
    {
        var store = new ThoughtSignatureStore(0, TimeSpan.FromMinutes(60), TimeProvider.System);

        store.Add("call_1", "sig");

        await Assert.That(store.IsEmpty).IsTrue();
    }
}
