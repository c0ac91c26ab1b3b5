using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>
/// What a command runs against: where configuration is read from, and where it writes. Command output goes to
/// <see cref="Output"/> (stdout); logs, banners and problems go to <see cref="Error"/> (stderr).
/// </summary>
internal sealed record CliContext(ConfigEnvironment Environment, TextWriter Output, TextWriter Error)
{
    public static CliContext FromProcess() => new(ConfigEnvironment.FromProcess(), Console.Out, Console.Error);
}
