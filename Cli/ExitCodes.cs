namespace Vdm.Cli;

/// <summary>The exit codes of every <c>vdm</c> command.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked.</summary>
    public const int Ok = 0;

    /// <summary>A check failed, or a server is unreachable or could not start.</summary>
    public const int Failed = 1;

    /// <summary>The configuration or the command line is invalid.</summary>
    public const int InvalidConfiguration = 2;
}
