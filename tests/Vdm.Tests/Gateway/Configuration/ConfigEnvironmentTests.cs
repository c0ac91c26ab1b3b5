using Vdm.Gateway.Configuration;

namespace Vdm.Tests.Gateway.Configuration;

public class ConfigEnvironmentTests
{
    private static readonly string Home = Path.Combine(Path.GetTempPath(), "vdm-home");

    private static ConfigEnvironment Environment(string? home, params (string Name, string Value)[] variables) =>
        new(variables.ToDictionary(pair => pair.Name, pair => pair.Value, StringComparer.Ordinal), Path.GetTempPath(), home);

    [Test]
    public async Task UserFile_WithoutXdgConfigHome_IsUnderDotConfigInTheHomeDirectory()
    {
        var environment = Environment(Home);

        await Assert.That(environment.UserFile).IsEqualTo(Path.Combine(Home, ".config", "vdm", ".env"));
    }

    [Test]
    public async Task UserFile_WithAbsoluteXdgConfigHome_IsUnderIt()
    {
        var xdg = Path.Combine(Path.GetTempPath(), "xdg");
        var environment = Environment(Home, ("XDG_CONFIG_HOME", xdg));

        await Assert.That(environment.UserFile).IsEqualTo(Path.Combine(xdg, "vdm", ".env"));
    }

    [Test]
    [Arguments("relative/config")]
    [Arguments("")]
    public async Task UserFile_WithXdgConfigHomeNotAFullPath_FallsBackToTheHomeDirectory(string xdg)
    {
        var environment = Environment(Home, ("XDG_CONFIG_HOME", xdg));

        await Assert.That(environment.UserFile).IsEqualTo(Path.Combine(Home, ".config", "vdm", ".env"));
    }

    [Test]
    public async Task UserFile_WithoutHomeOrXdg_IsNull()
    {
        var environment = Environment(home: null);

        await Assert.That(environment.UserFile).IsNull();
    }

    [Test]
    public async Task Display_PathUnderHome_StartsWithTilde()
    {
        var environment = Environment(Home);

        await Assert.That(environment.Display(Path.Combine(Home, ".config", "vdm", ".env"))).IsEqualTo("~/.config/vdm/.env");
    }

    [Test]
    public async Task Display_PathOutsideHome_IsUnchanged()
    {
        var environment = Environment(Home);
        var path = Path.Combine(Home + "-other", ".env");

        await Assert.That(environment.Display(path)).IsEqualTo(path);
    }
}
