using Microsoft.Extensions.Logging;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>
/// What a command runs against: where configuration is read from, and where it writes. Command output goes to
/// <see cref="Output"/> (stdout); logs, banners and problems go to <see cref="Error"/> (stderr).
/// </summary>
internal sealed record CliContext(ConfigEnvironment Environment, TextWriter Output, TextWriter Error)
{
    /// <summary>Where the server's logs go besides stderr: tests wait for a log line here. None outside tests.</summary>
    public ILoggerProvider? ExtraLogs { get; init; }

    public static CliContext FromProcess() => new(ConfigEnvironment.FromProcess(), Console.Out, Console.Error);
}
