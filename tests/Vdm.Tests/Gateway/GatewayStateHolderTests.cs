using Vdm.Gateway;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway;

/// <summary>Swapping the state under requests that hold the old one.</summary>
public class GatewayStateHolderTests
{
    private static GatewayState State(params (string, string)[] extra) =>
        new(TestVariables.Settings([("OPENAI_API_KEY", "sk-a"), .. extra]), TimeProvider.System);

    [Test]
    public async Task Replace_WhileARequestHoldsTheOldState_ItsClientsStayOpenUntilReleased()
    {
        var old = State();
        using var holder = new GatewayStateHolder(old);
        var request = holder.Acquire();
        var invoker = request.Clients.For("openai");

        // Other connection settings, so the new state cannot share the old clients.
        holder.Replace(new GatewayState(TestVariables.Settings(("OPENAI_API_KEY", "sk-a"), ("STREAMING_CONNECT_TIMEOUT_SECONDS", "3")), TimeProvider.System, old));
        var duringRequest = await GatewayStateTests.SendAsync(invoker);
        request.Release();
        var afterRequest = await GatewayStateTests.SendAsync(invoker);

        await Assert.That(request).IsSameReferenceAs(old);
        await Assert.That(holder.Current).IsNotSameReferenceAs(old);
        await Assert.That(duringRequest).IsTypeOf<HttpRequestException>();
        await Assert.That(afterRequest).IsTypeOf<ObjectDisposedException>();
    }

    [Test]
    public async Task Acquire_AfterReplace_GetsTheNewState()
    {
        using var holder = new GatewayStateHolder(State());
        var next = State(("MAX_RETRIES", "1"));

        holder.Replace(next);
        var acquired = holder.Acquire();

        await Assert.That(acquired).IsSameReferenceAs(next);
        acquired.Release();
    }

    [Test]
    public async Task Acquire_AfterDispose_Throws()
    {
        var holder = new GatewayStateHolder(State());

        holder.Dispose();
        holder.Dispose();

        await Assert.That(() => holder.Acquire()).Throws<ObjectDisposedException>();
    }

    [Test]
    public async Task Lease_DisposedTwice_ReleasesOnce()
    {
        using var holder = new GatewayStateHolder(State());
        var invoker = holder.Current.Clients.For("openai");

        var lease = new GatewayStateLease(holder.Acquire());
        lease.Dispose();
        lease.Dispose();
        var stillHeld = await GatewayStateTests.SendAsync(invoker);

        await Assert.That(stillHeld).IsTypeOf<HttpRequestException>();
    }
}
