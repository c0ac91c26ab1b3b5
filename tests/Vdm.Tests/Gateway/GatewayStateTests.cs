using Vdm.Gateway;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway;

/// <summary>What a state built on a reload takes over from the one it replaces, and when its clients close.</summary>
public class GatewayStateTests
{
    private static readonly (string, string)[] Variables = [("OPENAI_API_KEY", "sk-a sk-b"), ("POE_API_KEY", "p-1")];

    [Test]
    public async Task New_SameKeysAndCooldown_KeepsThePreviousRing()
    {
        var first = new GatewayState(TestVariables.Settings(Variables), TimeProvider.System);

        var second = new GatewayState(TestVariables.Settings([.. Variables, ("MAX_RETRIES", "4")]), TimeProvider.System, first);

        await Assert.That(second.KeyRing("openai")).IsSameReferenceAs(first.KeyRing("openai"));
        await Assert.That(second.KeyRing("poe")).IsSameReferenceAs(first.KeyRing("poe"));
    }

    [Test]
    public async Task New_OtherKeysOrCooldown_BuildsANewRing()
    {
        var first = new GatewayState(TestVariables.Settings(Variables), TimeProvider.System);

        var otherKeys = new GatewayState(TestVariables.Settings(("OPENAI_API_KEY", "sk-b sk-a"), ("POE_API_KEY", "p-1")), TimeProvider.System, first);
        var otherCooldown = new GatewayState(TestVariables.Settings([.. Variables, ("KEY_COOLDOWN_SECONDS", "5")]), TimeProvider.System, first);

        await Assert.That(otherKeys.KeyRing("openai")).IsNotSameReferenceAs(first.KeyRing("openai"));
        await Assert.That(otherKeys.KeyRing("poe")).IsSameReferenceAs(first.KeyRing("poe"));
        await Assert.That(otherCooldown.KeyRing("poe")).IsNotSameReferenceAs(first.KeyRing("poe"));
    }

    [Test]
    public async Task New_SameConnectionSettings_SharesTheClientsUntilBothAreReleased()
    {
        var first = new GatewayState(TestVariables.Settings(Variables), TimeProvider.System);
        var second = new GatewayState(TestVariables.Settings([.. Variables, ("VDM_ALIAS_FAST", "poe:x")]), TimeProvider.System, first);
        var invoker = first.Clients.For("openai");

        first.Release();
        var afterFirst = await SendAsync(invoker);
        second.Release();
        var afterBoth = await SendAsync(invoker);

        await Assert.That(second.Clients).IsSameReferenceAs(first.Clients);
        await Assert.That(afterFirst).IsTypeOf<HttpRequestException>();
        await Assert.That(afterBoth).IsTypeOf<ObjectDisposedException>();
    }

    [Test]
    public async Task New_OtherConnectTimeout_GetsItsOwnClients()
    {
        var first = new GatewayState(TestVariables.Settings(Variables), TimeProvider.System);

        var second = new GatewayState(TestVariables.Settings([.. Variables, ("STREAMING_CONNECT_TIMEOUT_SECONDS", "3")]), TimeProvider.System, first);

        await Assert.That(second.Clients).IsNotSameReferenceAs(first.Clients);
    }

    [Test]
    public async Task New_FailsAfterSharingTheClients_GivesTheShareBack()
    {
        var first = new GatewayState(TestVariables.Settings(Variables), TimeProvider.System);
        var invoker = first.Clients.For("openai");
        var unbuildable = TestVariables.Settings(Variables) with { KeyCooldown = TimeSpan.FromDays(3) };

        await Assert.That(() => new GatewayState(unbuildable, TimeProvider.System, first)).Throws<ArgumentOutOfRangeException>();
        first.Release();
        var afterFirst = await SendAsync(invoker);

        await Assert.That(afterFirst).IsTypeOf<ObjectDisposedException>();
    }

    /// <summary>What sending through <paramref name="invoker"/> to a closed port throws: refused while open, disposed after.</summary>
    internal static async Task<Exception?> SendAsync(HttpMessageInvoker invoker)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://127.0.0.1:{ClosedPort.Find()}/"));
        try
        {
            using var response = await invoker.SendAsync(request, CancellationToken.None);
            return null;
        }
        catch (Exception exception)
        {
            return exception;
        }
    }
}
