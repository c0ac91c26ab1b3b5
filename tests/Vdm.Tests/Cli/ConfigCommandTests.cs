using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

public class ConfigCommandTests
{
    [Test]
    public async Task Validate_ValidConfiguration_ExitsZeroAndSummarises()
    {
        using var cli = new CliRun(("OPENAI_API_KEY", "sk-1"), ("POE_API_KEY", "p-1"), ("VDM_DEFAULT_PROVIDER", "poe"));

        var exitCode = await cli.RunAsync(["config", "validate"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).IsEqualTo("configuration is valid: openai, poe; default provider: poe\n");
    }

    [Test]
    public async Task Validate_Problems_ExitsOneListingEachOnStdout()
    {
        using var cli = new CliRun(("PORT", "http"), ("OPENAI_API_KEY", "sk-1"), ("OPENAI_BASE_URL", "not a url"));

        var exitCode = await cli.RunAsync(["config", "validate"]);
        var output = cli.Output.ToString();

        await Assert.That(exitCode).IsEqualTo(1);
        await Assert.That(output).Contains("error: PORT=http (env): must be a whole number from 0 to 65535\n");
        await Assert.That(output).Contains("error: OPENAI_BASE_URL=not a url (env): must be an absolute http:// or https:// URL");
        await Assert.That(output).EndsWith("configuration is invalid: 2 problem(s)\n");
    }

    [Test]
    public async Task Validate_Warnings_AreListedButDoNotFail()
    {
        using var cli = new CliRun(("STRIPE_API_KEY", "sk_live_x"));

        var exitCode = await cli.RunAsync(["config", "validate"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).StartsWith("warning: STRIPE_API_KEY: 'stripe' is not a built-in provider");
        await Assert.That(cli.Output.ToString()).DoesNotContain("sk_live_x");
    }

    [Test]
    public async Task Show_ListsValuesWithTheirSources()
    {
        using var cli = new CliRun(("OPENAI_API_KEY", "sk-env-1 sk-env-2"), ("PORT", "9000"));
        cli.WriteFile(".env", "PORT=9100\nLOG_LEVEL=DEBUG\nANTHROPIC_API_KEY=!PASSTHRU\n");

        var exitCode = await cli.RunAsync(["config", "show"]);
        var lines = cli.Output.ToString().Split('\n');

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(lines[0]).Matches(@"^VARIABLE\s+VALUE\s+SOURCE$");
        await Assert.That(lines).Contains(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^PORT\s+9000\s+env$"));
        await Assert.That(lines).Contains(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^LOG_LEVEL\s+DEBUG\s+\./\.env$"));
        await Assert.That(lines).Contains(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^HOST\s+127\.0\.0\.1\s+default$"));
        await Assert.That(lines).Contains(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^ANTHROPIC_API_KEY\s+!PASSTHRU\s+\./\.env$"));
        await Assert.That(lines).Contains(line => System.Text.RegularExpressions.Regex.IsMatch(line,
            $@"^OPENAI_API_KEY\s+{KeyFingerprint.Of("sk-env-1")} {KeyFingerprint.Of("sk-env-2")}\s+env$"));
        await Assert.That(lines).Contains(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^OPENAI_BASE_URL\s+https://api\.openai\.com/v1\s+built-in$"));
        await Assert.That(cli.Output.ToString()).DoesNotContain("sk-env");
    }

    [Test]
    public async Task Show_UserFile_IsNamedWithATilde()
    {
        using var cli = new CliRun();
        cli.WriteFile(".config/vdm/.env", "GROQ_API_KEY=g\n");

        var exitCode = await cli.RunAsync(["config", "show"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).Contains("~/.config/vdm/.env");
    }

    [Test]
    public async Task Show_InvalidConfiguration_ExitsTwoWithTheProblemsOnStderr()
    {
        using var cli = new CliRun(("MAX_RETRIES", "-1"));

        var exitCode = await cli.RunAsync(["config", "show"]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(cli.Output.ToString()).IsEqualTo("");
        await Assert.That(cli.Error.ToString()).Contains("MAX_RETRIES=-1 (env): must be a whole number from 0 to 100");
    }

    [Test]
    public async Task Show_BaseUrl_IsTheOneInUseWithItsSource()
    {
        using var cli = new CliRun(("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", "http://127.0.0.1:8082"));
        cli.WriteFile(".env", "ANTHROPIC_BASE_URL=https://gw.example.com/\n");

        var exitCode = await cli.RunAsync(["config", "show"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).Matches(@"\nANTHROPIC_BASE_URL\s+https://gw\.example\.com\s+\./\.env\n");
        await Assert.That(cli.Output.ToString()).DoesNotContain("http://127.0.0.1:8082");
        await Assert.That(cli.Error.ToString()).Contains("points at vdm itself");
    }

    [Test]
    public async Task Show_RepeatedKeys_AppearOnce()
    {
        using var cli = new CliRun(("OPENAI_API_KEY", "sk-a sk-a"));

        await cli.RunAsync(["config", "show"]);

        await Assert.That(cli.Output.ToString()).Contains($"{KeyFingerprint.Of("sk-a")}  ");
        await Assert.That(cli.Output.ToString()).DoesNotContain($"{KeyFingerprint.Of("sk-a")} {KeyFingerprint.Of("sk-a")}");
    }

    [Test]
    public async Task Show_EmptyEnvironmentValue_ShowsTheFileValueInUse()
    {
        using var cli = new CliRun(("PORT", ""));
        cli.WriteFile(".env", "PORT=9000\n");

        await cli.RunAsync(["config", "show"]);

        await Assert.That(cli.Output.ToString()).Matches(@"\nPORT\s+9000\s+\./\.env\n");
    }

    [Test]
    public async Task Show_ProxyKeyWithSpaces_IsOneFingerprint()
    {
        using var cli = new CliRun(("PROXY_API_KEY", "two words"));

        await cli.RunAsync(["config", "show"]);

        await Assert.That(cli.Output.ToString()).Matches($@"\nPROXY_API_KEY\s+{KeyFingerprint.Of("two words")}\s+env\n");
    }

    [Test]
    public async Task Validate_AliasCycle_IsAProblem()
    {
        using var cli = new CliRun(("OPENAI_API_KEY", "k"), ("VDM_ALIAS_A", "b"), ("VDM_ALIAS_B", "a"));

        var exitCode = await cli.RunAsync(["config", "validate"]);

        await Assert.That(exitCode).IsEqualTo(1);
        await Assert.That(cli.Output.ToString()).Contains("alias cycle");
    }

    [Test]
    public async Task Validate_AliasToAnUnconfiguredProvider_IsAWarning()
    {
        using var cli = new CliRun(("OPENAI_API_KEY", "k"), ("VDM_ALIAS_FAST", "groq:llama"));

        var exitCode = await cli.RunAsync(["config", "validate"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).Contains("warning:");
        await Assert.That(cli.Output.ToString()).Contains("groq");
    }
}
