using Vdm.Cli;
using Vdm.Gateway.Configuration;

namespace Vdm.Tests.Cli;

/// <summary>The environment of a gateway <c>vdm wrap</c> starts: base URLs pointing at that gateway are left out.</summary>
public class GatewayEnvironmentTests
{
    [Test]
    public async Task WithoutSelfUrls_DropsTheOnesThatPointAtTheGateway_KeepsTheRest()
    {
        var user = new Dictionary<string, string>
        {
            ["ANTHROPIC_BASE_URL"] = "http://localhost:8082",
            ["OPENROUTER_BASE_URL"] = " http://127.0.0.1:8082/v1 ",
            ["OLLAMA_BASE_URL"] = "http://localhost:11434/v1",
            ["OTHER_VDM_BASE_URL"] = "http://127.0.0.1:9000",
            ["PORT_NOTE"] = "http://localhost:8082",
            ["PATH"] = "/usr/bin",
        };

        var environment = GatewayEnvironment.WithoutSelfUrls(user, new ListenAddress("127.0.0.1", 8082), out var removed);

        await Assert.That(environment.Keys).IsEquivalentTo(["OLLAMA_BASE_URL", "OTHER_VDM_BASE_URL", "PORT_NOTE", "PATH"]);
        await Assert.That(removed).IsEquivalentTo(["ANTHROPIC_BASE_URL=http://localhost:8082", "OPENROUTER_BASE_URL=http://127.0.0.1:8082/v1"]);
    }

    [Test]
    public async Task WithoutSelfUrls_EveryAddress_AnyHostOnThePortIsSelf()
    {
        var user = new Dictionary<string, string> { ["ANTHROPIC_BASE_URL"] = "http://my-laptop.lan:8082" };

        var environment = GatewayEnvironment.WithoutSelfUrls(user, new ListenAddress("0.0.0.0", 8082), out _);

        await Assert.That(environment).IsEmpty();
    }

    [Test]
    public async Task WithoutSelfUrls_PortZero_NothingCanPointAtIt()
    {
        var user = new Dictionary<string, string> { ["ANTHROPIC_BASE_URL"] = "http://localhost:8082" };

        var environment = GatewayEnvironment.WithoutSelfUrls(user, new ListenAddress("127.0.0.1", 0), out var removed);

        await Assert.That(environment.Count).IsEqualTo(1);
        await Assert.That(removed).IsEmpty();
    }
}
