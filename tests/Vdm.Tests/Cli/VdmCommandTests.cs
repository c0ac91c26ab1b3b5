using Vdm.Gateway;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Cli;

public class VdmCommandTests
{
    [Test]
    public async Task Version_PrintsTheVersionOnStdout()
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(["version"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).IsEqualTo($"vdm {VdmVersion.Current}\n");
        await Assert.That(cli.Error.ToString()).IsEqualTo("");
    }

    [Test]
    public async Task NoArguments_PrintsHelpAndSucceeds()
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync([]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).Contains("Usage:");
    }

    [Test]
    [Arguments("server --help", "start")]
    [Arguments("server start --help", "--port")]
    [Arguments("config --help", "validate")]
    public async Task Help_DocumentsSubcommandsAndOptions(string commandLine, string expected)
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(commandLine.Split(' '));

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).Contains(expected);
    }

    [Test]
    [Arguments("nonsense")]
    [Arguments("server")]
    [Arguments("config")]
    [Arguments("server start --bogus")]
    [Arguments("config env --format yaml")]
    public async Task UsageError_ExitsTwoWithTheProblemOnStderr(string commandLine)
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(commandLine.Split(' '));

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(cli.Output.ToString()).IsEqualTo("");
        await Assert.That(cli.Error.ToString()).StartsWith("vdm: ");
        await Assert.That(cli.Error.ToString()).Contains("vdm --help");
    }

    [Test]
    public async Task EnvFileOption_IsAcceptedAfterTheSubcommand()
    {
        using var cli = new CliRun();
        cli.WriteFile("conf/my.env", "MISTRAL_API_KEY=m-1\n");

        var exitCode = await cli.RunAsync(["config", "validate", "--env-file", "conf/my.env"]);

        await Assert.That(exitCode).IsEqualTo(0);
        await Assert.That(cli.Output.ToString()).Contains("mistral");
    }

    [Test]
    public async Task EnvFileOption_MissingFile_IsInvalidConfiguration()
    {
        using var cli = new CliRun();

        var exitCode = await cli.RunAsync(["--env-file", "nope.env", "config", "show"]);

        await Assert.That(exitCode).IsEqualTo(2);
        await Assert.That(cli.Error.ToString()).Contains("--env-file nope.env: no such file");
    }

    [Test]
    public async Task UnknownCommand_IsReportedOnceWithoutTheGenericMissingCommandLine()
    {
        using var cli = new CliRun();

        await cli.RunAsync(["frobnicate"]);

        await Assert.That(cli.Error.ToString()).DoesNotContain("Required command");
        await Assert.That(cli.Error.ToString()).Contains("frobnicate");
    }
}
