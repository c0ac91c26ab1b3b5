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

    [Test]
    public async Task CompletionBash_CompletesCommandsAndArgumentsByAskingVdmItself()
    {
        var (_, script, _) = await VdmProcess.RunAsync(["completion", "bash"]);
        var directory = System.IO.Path.GetDirectoryName(VdmBinary.Path)!;
        var start = new System.Diagnostics.ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.Environment["PATH"] = directory + ":" + Environment.GetEnvironmentVariable("PATH");

        using var bash = System.Diagnostics.Process.Start(start)!;
        await bash.StandardInput.WriteAsync(script + """
            COMP_LINE="vdm heal"; COMP_POINT=8; COMP_WORDS=(vdm heal); COMP_CWORD=1; _vdm_complete; echo "[${COMPREPLY[*]}]"
            COMP_LINE="vdm completion "; COMP_POINT=15; COMP_WORDS=(vdm completion ""); COMP_CWORD=2; _vdm_complete; echo "[${COMPREPLY[*]}]"
            exit
            """);
        bash.StandardInput.Close();
        var output = await bash.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await bash.WaitForExitAsync();

        await Assert.That(output).IsEqualTo("[health]\n[--env-file --help -? -h /? /h bash fish pwsh zsh]\n");
    }

    [Test]
    [Arguments("zsh", "compdef _vdm vdm")]
    [Arguments("fish", "complete -c vdm")]
    [Arguments("pwsh", "Register-ArgumentCompleter -Native -CommandName vdm")]
    public async Task Completion_OtherShells_AskVdmItselfThroughTheSuggestDirective(string shell, string registration)
    {
        var (exitCode, script, _) = await VdmProcess.RunAsync(["completion", shell]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(script).Contains(registration);
        await Assert.That(script).Contains("[suggest:");
    }

    [Test]
    public async Task Completion_UnknownShell_ExitsTwo()
    {
        var (exitCode, _, stderr) = await VdmProcess.RunAsync(["completion", "tcsh"]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(stderr).Contains("tcsh");
    }
}
