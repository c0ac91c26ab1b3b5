using System.Globalization;
using System.Reflection;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>How <c>vdm wrap</c> starts a gateway: <c>vdm server start</c> as a child, where its output goes, in which environment.</summary>
internal sealed record GatewayLaunch(
    string Executable, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment, string WorkingDirectory, string LogPath)
{
    /// <summary>
    /// Set (to 1) in the environment of the gateway wrap starts, and read by <c>vdm server start</c> alone, which then
    /// leaves wrap's process group (<see cref="ServerCommand"/>). A marker between wrap and its child, not a setting: no
    /// user should set it, so it is not in <see cref="VariableCatalog"/>.
    /// </summary>
    public const string WrappedMarker = "VDM_WRAPPED_GATEWAY";

    public static GatewayLaunch Create(
        CliContext context, string? envFile, string host, int port, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(context);
        List<string> arguments = envFile is null ? [] : ["--env-file", envFile];
        arguments.AddRange(["server", "start", "--host", host, "--port", port.ToString(CultureInfo.InvariantCulture)]);

        // Text logs whatever LOG_FORMAT the user set (the environment outranks every .env file): the banner's
        // "listening on URL" line tells GatewayProcess that the gateway is ready and on which port, and the log file
        // is there for a person to read.
        var variables = new Dictionary<string, string>(environment, StringComparer.Ordinal)
        {
            [VariableCatalog.LogFormat] = "text",
            [WrappedMarker] = "1",
        };
        return new GatewayLaunch(VdmExecutable(), arguments, variables, context.Environment.WorkingDirectory, LogFile(context, port));
    }

    public string CommandLine => string.Join(' ', [ShellWords.Quote(Executable), .. Arguments.Select(ShellWords.Quote)]);

    /// <summary>
    /// This very binary when the process is vdm (the native executable, however it was named or linked: the path is
    /// the resolved one). Inside another host, which is how the tests load vdm.dll, the vdm launcher built beside it.
    /// </summary>
    private static string VdmExecutable()
    {
        if (Assembly.GetEntryAssembly() == typeof(GatewayLaunch).Assembly && System.Environment.ProcessPath is { } self
            && !Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return self;
        }

        return Path.Combine(AppContext.BaseDirectory, OperatingSystem.IsWindows() ? "vdm.exe" : "vdm");
    }

    /// <summary>
    /// <c>$XDG_STATE_HOME/vdm/wrap-PORT.log</c>, else <c>~/.local/state/vdm/wrap-PORT.log</c> (logs are state, not
    /// configuration or cache, in the XDG layout), else the temp directory. One file per port, rewritten at each start.
    /// </summary>
    private static string LogFile(CliContext context, int port)
    {
        var name = $"wrap-{port.ToString(CultureInfo.InvariantCulture)}.log";
        if (context.Environment.Variables.TryGetValue("XDG_STATE_HOME", out var xdg) && Path.IsPathFullyQualified(xdg))
        {
            return Path.Combine(xdg, "vdm", name);
        }

        return context.Environment.HomeDirectory is { } home
            ? Path.Combine(home, ".local", "state", "vdm", name)
            : Path.Combine(Path.GetTempPath(), "vdm-" + name);
    }
}
