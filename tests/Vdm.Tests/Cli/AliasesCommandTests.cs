using System.Text.Json;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

/// <summary><c>vdm aliases</c>: from the configuration, or from a running gateway with <c>--url</c>; a table or JSON.</summary>
public class AliasesCommandTests
{
    private static readonly (string, string)[] Configuration =
    [
        ("OPENAI_API_KEY", "k"), ("POE_API_KEY", "p"), ("VDM_DEFAULT_PROVIDER", "openai"),
        ("VDM_ALIAS_FAST", "poe:gemini-flash"), ("VDM_ALIAS_SMART", "openai:gpt-4o,poe:claude-opus"), ("POE_ALIAS_BIG", "claude-opus"),
    ];

    [Test]
    public async Task Aliases_FromTheConfiguration_TableOfScopeAliasTarget()
    {
        using var cli = new CliRun(Configuration);

        var exitCode = await cli.RunAsync(["aliases"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).IsEqualTo(
            "SCOPE  ALIAS  TARGET\n" +
            "*      fast   poe:gemini-flash\n" +
            "*      smart  openai:gpt-4o,poe:claude-opus\n" +
            "poe    big    claude-opus\n");
    }

    [Test]
    public async Task Aliases_FromARunningServer_IsTheSameListEvenWithAProxyKey()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings([.. Configuration, ("PROXY_API_KEY", "secret-proxy-key")]));
        using var cli = new CliRun(("PROXY_API_KEY", "secret-proxy-key"));

        var exitCode = await cli.RunAsync(["aliases", "--url", gateway.Client.BaseAddress!.ToString(), "--json"]);
        using var json = JsonDocument.Parse(cli.Output.ToString());

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(json.RootElement.GetProperty("total").GetInt32()).IsEqualTo(3);
        await Assert.That(json.RootElement.GetProperty("aliases").GetProperty("poe").GetProperty("big").GetString()).IsEqualTo("claude-opus");
        await Assert.That(cli.Output.ToString()).DoesNotContain("secret-proxy-key");
    }

    [Test]
    public async Task Aliases_ServerRefusesTheKey_ExitsOneSayingSo()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings([.. Configuration, ("PROXY_API_KEY", "right")]));
        using var cli = new CliRun(("PROXY_API_KEY", "wrong"));

        var exitCode = await cli.RunAsync(["aliases", "--url", gateway.Client.BaseAddress!.ToString()]);

        await Assert.That(exitCode).IsEqualTo(1);
        await Assert.That(cli.Error.ToString()).Contains("answered HTTP 401");
        await Assert.That(cli.Error.ToString()).DoesNotContain("wrong");
    }

    [Test]
    public async Task Aliases_NoneConfigured_SaysHowToAddOne()
    {
        using var cli = new CliRun(("OPENAI_API_KEY", "k"));

        var exitCode = await cli.RunAsync(["aliases"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).StartsWith("no aliases");
    }
}
