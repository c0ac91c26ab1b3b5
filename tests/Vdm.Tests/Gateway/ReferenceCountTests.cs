using Vdm.Gateway;

namespace Vdm.Tests.Gateway;

public class ReferenceCountTests
{
    [Test]
    public async Task Release_LastShare_ReturnsTrueOnce()
    {
        var count = new ReferenceCount();
        var retained = count.TryRetain();

        var first = count.Release();
        var last = count.Release();
        var again = count.Release();

        await Assert.That((retained, first, last, again)).IsEqualTo((true, false, true, false));
    }

    [Test]
    public async Task TryRetain_AfterTheLastRelease_Fails()
    {
        var count = new ReferenceCount();
        count.Release();

        await Assert.That(count.TryRetain()).IsFalse();
    }

    [Test]
    public async Task RetainAndRelease_FromManyThreads_EndsWithTheOwnersShare()
    {
        var count = new ReferenceCount();

        Parallel.For(0, 10_000, _ =>
        {
            if (count.TryRetain())
            {
                count.Release();
            }
        });

        await Assert.That(count.Release()).IsTrue();
    }
}
