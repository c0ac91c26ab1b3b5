using System.CommandLine;
using System.Diagnostics;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>What <c>vdm wrap claude</c> was asked: the configuration flags, <c>--dry-run</c>, and claude's own arguments.</summary>
internal sealed record WrapRequest(
    ParseResult ParseResult, Option<string?> EnvFile, IReadOnlyDictionary<string, string> Flags, bool DryRun, IReadOnlyList<string> ClaudeArguments);

/// <summary>
/// Runs claude against a vdm: the one already answering on HOST:PORT, or one started for the session
/// (<see cref="GatewayProcess"/>) and stopped when claude exits. claude gets the user's environment plus
/// <see cref="ClaudeEnvironment"/>, the terminal, and the signals wrap receives (<see cref="SignalRelay"/>); wrap exits
/// with claude's exit code, 128 + the signal's number when a signal ended it.
/// </summary>
internal static class ClaudeWrapper
{
    /// <summary>A shell's code for "command not found", for a missing claude.</summary>
    public const int CommandNotFound = 127;

    /// <summary>A shell's code for "found but cannot be run" (not executable, bad interpreter).</summary>
    public const int CannotRun = 126;

    private const string ClaudeName = "claude";

    public static async Task<int> RunAsync(CliContext context, WrapRequest request, CancellationToken cancellationToken)
    {
        var loaded = await LoadAsync(context, request).ConfigureAwait(false);
        if (loaded is not var (settings, gatewayEnvironment, leftOut))
        {
            return ExitCodes.InvalidConfiguration;
        }

        var listen = new ListenAddress(settings.Host, settings.Port);
        var user = context.Environment.Variables;
        var claude = ExecutableLookup.Find(ClaudeName, user.GetValueOrDefault("PATH"), context.Environment.WorkingDirectory);

        // Port 0 picks a free port at start, so there is nothing to reuse.
        HealthProbe? probe = null;
        if (settings.Port != 0)
        {
            probe = await HealthCommand.ProbeAsync(new Uri(listen.ClientUrl(settings.Port) + "/health"), cancellationToken).ConfigureAwait(false);
        }

        var launch = GatewayLaunch.Create(context, request.ParseResult.GetValue(request.EnvFile), settings.Host, settings.Port, gatewayEnvironment);
        var busy = probe is { HttpStatus: not null, Healthy: false }
            ? $"{probe.Url} answers, but not as a healthy vdm ({probe.ToText()}); choose another port with --port or PORT"
            : null;

        if (request.DryRun)
        {
            var url = listen.ClientUrl(settings.Port);
            var plan = new WrapPlan(probe, busy, launch, context.Environment.Display(launch.LogPath), leftOut,
                settings.Port == 0 ? url + " (port 0: a free one, chosen when the gateway starts)" : url,
                claude, request.ClaudeArguments, ClaudeEnvironment.For(user, url, settings.ProxyApiKey), user);
            await plan.WriteAsync(context.Output).ConfigureAwait(false);
            return ExitCodes.Ok;
        }

        if (claude is null)
        {
            await context.Error.WriteLineAsync($"vdm: {ClaudeName} was not found on PATH; install Claude Code (npm install -g @anthropic-ai/claude-code) or add it to PATH")
                .ConfigureAwait(false);
            return CommandNotFound;
        }

        if (busy is not null)
        {
            await context.Error.WriteLineAsync($"vdm: {busy}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        using var signals = SignalRelay.Start();
        GatewayProcess? started = null;
        try
        {
            string gatewayUrl;
            if (probe is { Healthy: true })
            {
                gatewayUrl = listen.ClientUrl(settings.Port);
                await context.Error.WriteLineAsync($"vdm: claude -> {gatewayUrl} (vdm {probe.Version} already running there)").ConfigureAwait(false);
            }
            else
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, signals.Stopping);
                var (gateway, problem) = await GatewayProcess.StartAsync(launch, linked.Token).ConfigureAwait(false);
                if (gateway is null)
                {
                    await context.Error.WriteLineAsync($"vdm: could not start a gateway on {settings.Host}:{settings.Port}: {problem}").ConfigureAwait(false);
                    await context.Error.WriteLineAsync($"  log: {context.Environment.Display(launch.LogPath)}").ConfigureAwait(false);
                    return signals.FirstSignal != 0 ? 128 + signals.FirstSignal : ExitCodes.Failed;
                }

                started = gateway;
                gatewayUrl = listen.ClientUrl(gateway.Url!.Port);
                await context.Error.WriteLineAsync(
                    $"vdm: claude -> {gatewayUrl} (a vdm started for this session; its log: {context.Environment.Display(launch.LogPath)})").ConfigureAwait(false);
            }

            if (signals.FirstSignal != 0)
            {
                return 128 + signals.FirstSignal;
            }

            var variables = ClaudeEnvironment.For(user, gatewayUrl, settings.ProxyApiKey);
            return await RunClaudeAsync(claude, request.ClaudeArguments, user, variables, context.Environment.WorkingDirectory, signals, context.Error)
                .ConfigureAwait(false);
        }
        finally
        {
            if (started is not null)
            {
                await started.StopAsync(settings.ShutdownTimeout + TimeSpan.FromSeconds(2)).ConfigureAwait(false);
                await started.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// The settings the gateway will run with, read from the environment it will get: without the variables that would
    /// point it at itself (<see cref="GatewayEnvironment"/>). Null, with the problems printed, when invalid.
    /// </summary>
    private static async Task<(GatewaySettings Settings, Dictionary<string, string> Environment, IReadOnlyList<string> LeftOut)?> LoadAsync(
        CliContext context, WrapRequest request)
    {
        var (_, first) = SettingsReader.Read(context, request.ParseResult, request.EnvFile, request.Flags);
        if (first.Settings is not { } settings)
        {
            await SettingsReader.ReportWarningsAsync(context, first).ConfigureAwait(false);
            await SettingsReader.ReportInvalidAsync(context, first).ConfigureAwait(false);
            return null;
        }

        var environment = GatewayEnvironment.WithoutSelfUrls(context.Environment.Variables, new ListenAddress(settings.Host, settings.Port), out var leftOut);
        var result = first;
        if (leftOut.Count > 0)
        {
            var gatewayContext = context with { Environment = context.Environment with { Variables = environment } };
            (_, result) = SettingsReader.Read(gatewayContext, request.ParseResult, request.EnvFile, request.Flags);
        }

        await SettingsReader.ReportWarningsAsync(context, result).ConfigureAwait(false);
        if (result.Settings is null)
        {
            await SettingsReader.ReportInvalidAsync(context, result).ConfigureAwait(false);
            return null;
        }

        return (result.Settings, environment, leftOut);
    }

    private static async Task<int> RunClaudeAsync(
        string claude, IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> user, IReadOnlyList<ClaudeVariable> variables,
        string workingDirectory, SignalRelay signals, TextWriter error)
    {
        // No redirection: claude gets the terminal (stdin, stdout, stderr) as it would from the shell.
        var info = new ProcessStartInfo(claude) { UseShellExecute = false, WorkingDirectory = workingDirectory };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in user)
        {
            info.Environment[name] = value;
        }

        foreach (var variable in variables)
        {
            info.Environment[variable.Name] = variable.Value;
        }

        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            await error.WriteLineAsync($"vdm: cannot run {claude}: {exception.Message}").ConfigureAwait(false);
            return CannotRun;
        }

        using var _ = process;
        signals.Attach(process.Id);

        // Not cancellable: whatever wrap receives goes to claude, and wrap ends when claude does.
        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);

        // .NET reports a child ended by a signal as 128 + its number, as shells do.
        return process.ExitCode;
    }
}
