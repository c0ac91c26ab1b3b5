using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Configuration;

public class BaseUrlLoopTests
{
    private static string AnthropicUrl(SettingsLoadResult result) =>
        result.Settings?.FindProvider("anthropic")?.BaseUrl.OriginalString
        ?? throw new InvalidOperationException("no anthropic provider: " + string.Join("; ", result.Errors));

    [Test]
    public async Task Load_EnvironmentBaseUrlPointingAtVdm_IsIgnoredWithAWarningForTheBuiltInUrl()
    {
        var result = TestVariables.LoadEnvAndFile([("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", "http://localhost:8082"), ("PORT", "8082")]);

        await Assert.That(AnthropicUrl(result)).IsEqualTo("https://api.anthropic.com");
        await Assert.That(result.Warnings).IsEquivalentTo(
        [
            "ANTHROPIC_BASE_URL=http://localhost:8082 (env) points at vdm itself (http://127.0.0.1:8082); it is most likely " +
            "exported for Claude Code in this shell, so vdm ignores it for provider 'anthropic'",
        ]);
    }

    [Test]
    public async Task Load_EnvironmentLoopWithDefaultPort_IsIgnored()
    {
        var result = TestVariables.LoadEnvAndFile([("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", "http://localhost:8082")]);

        await Assert.That(AnthropicUrl(result)).IsEqualTo("https://api.anthropic.com");
        await Assert.That(result.Warnings.Count).IsEqualTo(1);
    }

    [Test]
    public async Task Load_EnvironmentLoopAndGoodUrlInProjectFile_UsesTheProjectFileUrl()
    {
        var result = TestVariables.LoadEnvAndFile(
            [("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", "http://localhost:8082")],
            ("ANTHROPIC_BASE_URL", "https://gateway.example.com/anthropic"));

        await Assert.That(AnthropicUrl(result)).IsEqualTo("https://gateway.example.com/anthropic");
        await Assert.That(result.Warnings.Count).IsEqualTo(1);
        await Assert.That(result.Warnings[0]).Contains("ANTHROPIC_BASE_URL=http://localhost:8082 (env)");
    }

    [Test]
    public async Task Load_EnvironmentLoopAndGoodUrlInUserFile_UsesTheUserFileUrl()
    {
        var variables = TestVariables.Layers(
            TestVariables.Layer(ConfigSourceKind.Environment, "env",
                ("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", "http://127.0.0.1:8082")),
            TestVariables.Layer(ConfigSourceKind.UserFile, "~/.config/vdm/.env",
                ("ANTHROPIC_BASE_URL", "https://user.example.com")));

        var result = SettingsLoader.Load(variables);

        await Assert.That(AnthropicUrl(result)).IsEqualTo("https://user.example.com");
    }

    [Test]
    public async Task Load_ProjectFileBaseUrlPointingAtVdm_IsAnError()
    {
        var result = TestVariables.LoadEnvAndFile([("ANTHROPIC_API_KEY", "a")], ("ANTHROPIC_BASE_URL", "http://localhost:8082"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
        [
            "ANTHROPIC_BASE_URL=http://localhost:8082 (./.env): points at vdm itself (http://127.0.0.1:8082) and would loop; " +
            "give the provider's own URL",
        ]);
    }

    [Test]
    public async Task Load_EnvironmentLoopAndProjectFileLoop_IsAnErrorForTheFile()
    {
        var result = TestVariables.LoadEnvAndFile(
            [("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", "http://localhost:8082")],
            ("ANTHROPIC_BASE_URL", "http://127.0.0.1:8082/v1"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors.Count).IsEqualTo(1);
        await Assert.That(result.Errors[0]).StartsWith("ANTHROPIC_BASE_URL=http://127.0.0.1:8082/v1 (./.env): points at vdm itself");
        await Assert.That(result.Warnings.Count).IsEqualTo(1);
    }

    [Test]
    public async Task Load_UserFileBaseUrlPointingAtVdm_IsAnError()
    {
        var variables = TestVariables.Layers(
            TestVariables.Layer(ConfigSourceKind.Environment, "env", ("OPENAI_API_KEY", "o")),
            TestVariables.Layer(ConfigSourceKind.UserFile, "~/.config/vdm/.env", ("OPENAI_BASE_URL", "http://localhost:8082/v1")));

        var result = SettingsLoader.Load(variables);

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors.Count).IsEqualTo(1);
        await Assert.That(result.Errors[0]).StartsWith("OPENAI_BASE_URL=http://localhost:8082/v1 (~/.config/vdm/.env): points at vdm itself");
    }

    [Test]
    [Arguments("http://localhost:8082")]
    [Arguments("http://LOCALHOST:8082/")]
    [Arguments("http://127.0.0.1:8082/v1")]
    [Arguments("http://127.0.0.2:8082")]
    [Arguments("http://[::1]:8082")]
    [Arguments("http://[::1]:8082/v1")]
    [Arguments("https://localhost:8082")]
    public async Task Load_LoopbackUrlOnVdmPortInProjectFile_IsALoop(string url)
    {
        var result = TestVariables.LoadEnvAndFile([("OPENAI_API_KEY", "o"), ("PORT", "8082")], ("OPENAI_BASE_URL", url));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors.Count).IsEqualTo(1);
        await Assert.That(result.Errors[0]).Contains("points at vdm itself");
    }

    [Test]
    [Arguments("http://localhost:8082")]
    [Arguments("http://127.0.0.1:8082/v1")]
    [Arguments("http://[::1]:8082")]
    public async Task Load_LoopbackUrlOnVdmPortInEnvironment_IsIgnored(string url)
    {
        var result = TestVariables.LoadEnvAndFile([("OPENAI_API_KEY", "o"), ("OPENAI_BASE_URL", url)]);

        await Assert.That(result.Settings!.FindProvider("openai")!.BaseUrl.OriginalString).IsEqualTo("https://api.openai.com/v1");
        await Assert.That(result.Warnings.Count).IsEqualTo(1);
        await Assert.That(result.Warnings[0]).Contains("points at vdm itself");
    }

    [Test]
    [Arguments("http://localhost:8083")]
    [Arguments("http://127.0.0.1:11434/v1")]
    [Arguments("http://localhost")]
    [Arguments("http://[::1]:9000")]
    public async Task Load_LoopbackUrlOnAnotherPort_IsNoLoop(string url)
    {
        var result = TestVariables.LoadEnvAndFile([("OPENAI_API_KEY", "o"), ("PORT", "8082")], ("OPENAI_BASE_URL", url));

        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(result.Warnings.Count).IsEqualTo(0);
        await Assert.That(result.Settings!.FindProvider("openai")!.BaseUrl.OriginalString).IsEqualTo(url);
    }

    [Test]
    public async Task Load_RemoteHostOnVdmPort_IsNoLoopWhenBoundToLoopback()
    {
        var result = TestVariables.LoadEnvAndFile([("OPENAI_API_KEY", "o")], ("OPENAI_BASE_URL", "http://10.1.2.3:8082/v1"));

        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(result.Settings!.FindProvider("openai")!.BaseUrl.OriginalString).IsEqualTo("http://10.1.2.3:8082/v1");
    }

    [Test]
    public async Task Load_PortInProjectFile_IsThePortTheLoopIsCheckedAgainst()
    {
        var result = TestVariables.LoadEnvAndFile([("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", "http://localhost:9100")], ("PORT", "9100"));

        await Assert.That(AnthropicUrl(result)).IsEqualTo("https://api.anthropic.com");
        await Assert.That(result.Warnings.Count).IsEqualTo(1);
    }

    [Test]
    [Arguments("http://localhost:0")]
    [Arguments("http://localhost:8082")]
    [Arguments("http://127.0.0.1")]
    public async Task Load_PortZero_NeverLoops(string url)
    {
        var result = TestVariables.LoadEnvAndFile([("OPENAI_API_KEY", "o"), ("PORT", "0")], ("OPENAI_BASE_URL", url));

        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(result.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    [Arguments("http://192.168.1.20:8082")]
    [Arguments("http://my-laptop.lan:8082/v1")]
    [Arguments("http://localhost:8082")]
    public async Task Load_WildcardHostAndAnyHostOnVdmPort_IsALoop(string url)
    {
        var result = TestVariables.LoadEnvAndFile([("OPENAI_API_KEY", "o"), ("HOST", "0.0.0.0")], ("OPENAI_BASE_URL", url));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
            [$"OPENAI_BASE_URL={url} (./.env): points at vdm itself (http://127.0.0.1:8082) and would loop; give the provider's own URL"]);
    }

    [Test]
    public async Task Load_WildcardHostAndOtherPort_IsNoLoop()
    {
        var result = TestVariables.LoadEnvAndFile([("OPENAI_API_KEY", "o"), ("HOST", "0.0.0.0")], ("OPENAI_BASE_URL", "http://192.168.1.20:8083"));

        await Assert.That(result.IsValid).IsTrue();
    }

    [Test]
    public async Task Load_SpecificHostAndSameHostOnVdmPort_IsALoop()
    {
        var result = TestVariables.LoadEnvAndFile([("OPENAI_API_KEY", "o"), ("HOST", "192.168.1.20")], ("OPENAI_BASE_URL", "http://192.168.1.20:8082"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors[0]).Contains("points at vdm itself (http://192.168.1.20:8082)");
    }

    [Test]
    public async Task Load_UnknownProviderWhoseOnlyBaseUrlLoopsFromEnvironment_IsAnErrorForTheMissingUrl()
    {
        var result = TestVariables.LoadEnvAndFile([("MYLLM_API_KEY", "m"), ("MYLLM_BASE_URL", "http://localhost:8082/v1")]);

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Warnings.Count).IsEqualTo(1);
        await Assert.That(result.Errors).IsEquivalentTo(
            ["MYLLM_BASE_URL is not set: 'myllm' is not a built-in provider, so vdm needs its URL (such as https://api.example.com/v1)"]);
    }
}
