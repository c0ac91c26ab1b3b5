using Vdm.Cli;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

/// <summary>The outbound-network rows of <c>vdm config show</c>: either spelling of a name, never a proxy password.</summary>
public class ConfigTableTests
{
    [Test]
    [Arguments("http://proxy.corp:3128", "http://proxy.corp:3128")]
    [Arguments("http://me:s3cret@proxy.corp:3128", "http://me:***@proxy.corp:3128")]
    [Arguments("me:s3cret@proxy.corp:3128", "me:***@proxy.corp:3128")]
    [Arguments("http://token123@proxy.corp:3128", "http://***@proxy.corp:3128")]
    [Arguments("http://me:p@ss@proxy.corp:3128", "http://me:***@proxy.corp:3128")]
    [Arguments("http://proxy.corp:3128/path@x", "http://proxy.corp:3128/path@x")]
    public async Task Display_ProxyUrl_MasksOnlyThePassword(string value, string shown)
    {
        await Assert.That(ConfigTable.Display("HTTPS_PROXY", value)).IsEqualTo(shown);
        await Assert.That(ConfigTable.Display("http_proxy", value)).IsEqualTo(shown);
    }

    [Test]
    public async Task Render_ProviderMiddleware_IsAProviderRow()
    {
        var variables = TestVariables.Env(("OPENROUTER_API_KEY", "sk-or"), ("OPENROUTER_MIDDLEWARE", "gemini-thought-signatures:google/*"));
        var settings = Vdm.Gateway.Configuration.SettingsLoader.Load(variables).Settings!;

        var row = ConfigTable.Render(settings, variables).Split('\n').Single(line => line.StartsWith("OPENROUTER_MIDDLEWARE", StringComparison.Ordinal));

        await Assert.That(row).Contains("gemini-thought-signatures:google/*");
        await Assert.That(row.TrimEnd()).EndsWith("env");
    }

    [Test]
    public async Task Render_LowerCaseProxyVariables_AreShownUnderTheNameInUse()
    {
        var variables = TestVariables.Env(("https_proxy", "http://me:s3cret@proxy.corp:3128"), ("no_proxy", "internal.example"));
        var settings = Vdm.Gateway.Configuration.SettingsLoader.Load(variables).Settings!;

        var table = ConfigTable.Render(settings, variables);

        await Assert.That(table).Contains("https_proxy");
        await Assert.That(table).Contains("http://me:***@proxy.corp:3128");
        await Assert.That(table).Contains("internal.example");
        await Assert.That(table).DoesNotContain("s3cret");
    }
}
