using Vdm.Gateway.Configuration;

namespace Vdm.Tests.Gateway.Configuration;

public class ConfigDiagnosticsTests
{
    private static readonly ConfigLayer Env = new(ConfigSourceKind.Environment, "env", new Dictionary<string, string>());

    [Test]
    public async Task Describe_PlainVariable_ShowsNameValueAndSource()
    {
        var text = ConfigDiagnostics.Describe("PORT", new ConfigValue("abc", Env));

        await Assert.That(text).IsEqualTo("PORT=abc (env)");
    }

    [Test]
    [Arguments("OPENAI_API_KEY")]
    [Arguments("CUSTOM_HEADER_AUTHORIZATION")]
    public async Task Describe_SecretVariable_ShowsNameAndSourceButNeverTheValue(string name)
    {
        var text = ConfigDiagnostics.Describe(name, new ConfigValue("sk-secret", Env));

        await Assert.That(text).IsEqualTo($"{name} (env)");
    }

    [Test]
    public async Task Invalid_SeveralProblems_AreAllKeptInOrder()
    {
        var diagnostics = new ConfigDiagnostics();

        diagnostics.Invalid("PORT", new ConfigValue("abc", Env), "must be a whole number from 0 to 65535");
        diagnostics.Invalid("OPENAI_API_KEY", new ConfigValue("sk-secret", Env), "bad");
        diagnostics.Warn("careful");

        await Assert.That(string.Join("\n", diagnostics.Errors))
            .IsEqualTo("PORT=abc (env): must be a whole number from 0 to 65535\nOPENAI_API_KEY (env): bad");
        await Assert.That(diagnostics.Warnings).IsEquivalentTo(["careful"]);
    }
}
