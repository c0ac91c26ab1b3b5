using Microsoft.Extensions.Logging;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>
/// What a command runs against: where configuration is read from, and where it writes. Command output goes to
/// <see cref="Output"/> (stdout); logs, banners, prompts and problems go to <see cref="Error"/> (stderr).
/// </summary>
internal sealed record CliContext(ConfigEnvironment Environment, TextWriter Output, TextWriter Error)
{
    /// <summary>Answers to interactive questions (stdin); empty unless a command's caller gives some.</summary>
    public TextReader Input { get; init; } = TextReader.Null;

    /// <summary>True when <see cref="Input"/> is a terminal, so a secret can be read without echoing it.</summary>
    public bool InputIsTerminal { get; init; }

    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where the server's logs go besides stderr: tests wait for a log line here. None outside tests.</summary>
    public ILoggerProvider? ExtraLogs { get; init; }

    public static CliContext FromProcess() => new(ConfigEnvironment.FromProcess(), Console.Out, Console.Error)
    {
        Input = Console.In,
        InputIsTerminal = !Console.IsInputRedirected,
    };
}
