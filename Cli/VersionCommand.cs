using System.CommandLine;
using Vdm.Gateway;

namespace Vdm.Cli;

/// <summary><c>vdm version</c>: prints <c>vdm X.Y.Z</c>.</summary>
internal static class VersionCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("version", "Print the vdm version");
        command.SetAction(async (_, _) =>
        {
            await context.Output.WriteLineAsync($"vdm {VdmVersion.Current}").ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }
}
