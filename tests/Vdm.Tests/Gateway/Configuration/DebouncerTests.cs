using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Configuration;

public class DebouncerTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(250);

    [Test]
    public async Task Poke_ABurst_RunsOnceAfterTheLastPokeIsQuiet()
    {
        var clock = new ManualTimers();
        var runs = 0;
        using var debouncer = new Debouncer(clock, Quiet, () => runs++);

        debouncer.Poke();
        clock.Advance(TimeSpan.FromMilliseconds(200));
        debouncer.Poke();
        clock.Advance(TimeSpan.FromMilliseconds(200));
        var duringBurst = runs;
        clock.Advance(TimeSpan.FromMilliseconds(50));

        await Assert.That(duringBurst).IsEqualTo(0);
        await Assert.That(runs).IsEqualTo(1);
    }

    [Test]
    public async Task Poke_AgainAfterItRan_RunsAgain()
    {
        var clock = new ManualTimers();
        var runs = 0;
        using var debouncer = new Debouncer(clock, Quiet, () => runs++);

        debouncer.Poke();
        clock.Advance(Quiet);
        debouncer.Poke();
        clock.Advance(Quiet);
        clock.Advance(Quiet);

        await Assert.That(runs).IsEqualTo(2);
    }

    [Test]
    public async Task Poke_AfterDispose_NeitherThrowsNorRuns()
    {
        var runs = 0;
        var clock = new ManualTimers();
        var manual = new Debouncer(clock, Quiet, () => runs++);
        var system = new Debouncer(TimeProvider.System, Quiet, () => runs++);

        manual.Dispose();
        system.Dispose();
        manual.Poke();
        system.Poke();
        clock.Advance(Quiet);

        await Assert.That(runs).IsEqualTo(0);
    }

    [Test]
    public async Task NoPoke_NeverRuns()
    {
        var clock = new ManualTimers();
        var runs = 0;
        using var debouncer = new Debouncer(clock, Quiet, () => runs++);

        clock.Advance(TimeSpan.FromMinutes(1));

        await Assert.That(runs).IsEqualTo(0);
    }
}
