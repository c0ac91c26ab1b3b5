namespace Vdm.EndToEnd;

public class CliTests
{
    [Test]
    public async Task Version_PrintsNameAndVersionOnStdout()
    {
        var (exitCode, stdout, stderr) = await VdmProcess.RunAsync(["version"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(stdout).Matches(@"^vdm \d+\.\d+\.\d+\S*\n$");
        await Assert.That(stderr).IsEqualTo("");
    }

    [Test]
    public async Task Help_DocumentsEveryCommand()
    {
        var (exitCode, stdout, _) = await VdmProcess.RunAsync(["--help"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(stdout).Contains("version");
        await Assert.That(stdout).Contains("server");
        await Assert.That(stdout).Contains("config");
        await Assert.That(stdout).Contains("--env-file");
    }

    [Test]
    public async Task UnknownCommand_ExitsTwo()
    {
        var (exitCode, stdout, stderr) = await VdmProcess.RunAsync(["frobnicate"]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(stdout).IsEqualTo("");
        await Assert.That(stderr).Contains("frobnicate");
    }

    [Test]
    public async Task ConfigValidate_ReadsDotEnvFromTheWorkingDirectory()
    {
        var (exitCode, stdout, _) = await VdmProcess.RunAsync(["config", "validate"], dotEnv: "GROQ_API_KEY=gsk-1\n");

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(stdout).Contains("configuration is valid: groq; default provider: groq");
    }

    [Test]
    public async Task ConfigValidate_MixedPassthroughAndStaticKeys_ExitsOneWithoutEchoingTheKey()
    {
        var (exitCode, stdout, _) = await VdmProcess.RunAsync(["config", "validate"], dotEnv: "OPENAI_API_KEY=!PASSTHRU sk-do-not-print\n");

        await Assert.That(exitCode).IsEqualTo(1);
        await Assert.That(stdout).Contains("OPENAI_API_KEY (./.env): !PASSTHRU cannot be mixed with static keys");
        await Assert.That(stdout).DoesNotContain("sk-do-not-print");
    }

    [Test]
    public async Task ConfigShow_ShowsKeysOnlyAsFingerprints()
    {
        var (exitCode, stdout, _) = await VdmProcess.RunAsync(["config", "show"],
            new Dictionary<string, string> { ["OPENAI_API_KEY"] = "sk-show-secret" });

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(stdout).Matches(@"OPENAI_API_KEY\s+sha256:[0-9a-f]{8}\s+env");
        await Assert.That(stdout).DoesNotContain("sk-show-secret");
    }
}
