using Vdm.Cli;
using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

public class GatewayLaunchTests
{
    [Test]
    public async Task Create_UsersEnvironment_KeptWithTextLogsAndTheWrappedMarker()
    {
        using var cli = new CliRun();
        var context = new CliContext(new ConfigEnvironment(cli.Environment, cli.WorkingDirectory, cli.WorkingDirectory), cli.Output, cli.Error);
        var user = new Dictionary<string, string>(StringComparer.Ordinal) { ["OPENAI_API_KEY"] = "sk-user", ["LOG_FORMAT"] = "json" };

        var launch = GatewayLaunch.Create(context, null, "127.0.0.1", 0, user);

        await Assert.That(launch.Environment["OPENAI_API_KEY"]).IsEqualTo("sk-user");
        await Assert.That(launch.Environment[VariableCatalog.LogFormat]).IsEqualTo("text");
        await Assert.That(launch.Environment[GatewayLaunch.WrappedMarker]).IsEqualTo("1");
        await Assert.That(user["LOG_FORMAT"]).IsEqualTo("json");
    }

    [Test]
    public async Task WrappedMarker_IsNotAUserSetting()
    {
        await Assert.That(VariableCatalog.All.Select(variable => variable.Name)).DoesNotContain(GatewayLaunch.WrappedMarker);
    }
}
