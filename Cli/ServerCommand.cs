using System.CommandLine;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Vdm.Gateway;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary><c>vdm server start [--host] [--port] [--reload]</c>: runs the gateway until SIGINT or SIGTERM.</summary>
internal static class ServerCommand
{
    public static Command Create(CliContext context, Option<string?> envFile)
    {
        // Strings rather than numbers, so that "--port abc" is reported exactly like "PORT=abc".
        var host = new Option<string?>("--host") { Description = "Address to listen on (overrides HOST; default 127.0.0.1)", HelpName = "address" };
        var port = new Option<string?>("--port", "-p") { Description = "Port to listen on (overrides PORT; default 8082; 0 picks a free one)", HelpName = "port" };

        var reload = new Option<bool>("--reload")
        {
            Description = "Watch ./.env (or --env-file) and ~/.config/vdm/.env and apply their changes without a restart; requests in flight finish on the old configuration",
        };

        var dump = new Option<string?>("--dump")
        {
            Description = "Write each model request, converted and answered, to DIR/{request id}.txt with keys redacted (overrides VDM_DUMP_DIR)",
            HelpName = "DIR",
        };

        var start = new Command("start", "Run the gateway in the foreground; Ctrl+C or SIGTERM stops it") { host, port, reload, dump };
        start.SetAction((parseResult, cancellationToken) =>
        {
            var flags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (parseResult.GetValue(host) is { } hostValue)
            {
                flags[VariableCatalog.Host] = hostValue;
            }

            if (parseResult.GetValue(port) is { } portValue)
            {
                flags[VariableCatalog.Port] = portValue;
            }

            if (parseResult.GetValue(dump) is { } dumpValue)
            {
                flags[VariableCatalog.DumpDirectory] = dumpValue;
            }

            return RunAsync(context, parseResult, envFile, flags, parseResult.GetValue(reload), cancellationToken);
        });

        return new Command("server", "Run the gateway server") { start };
    }

    private static async Task<int> RunAsync(
        CliContext context, ParseResult parseResult, Option<string?> envFile, Dictionary<string, string> flags, bool reload,
        CancellationToken cancellationToken)
    {
        // Started by vdm wrap: out of wrap's process group, which is claude's and, at a terminal, the foreground one.
        // The terminal sends Ctrl+C and Ctrl+\ to every process of that group, and they would stop this gateway while
        // claude goes on (claude -p, or claude still starting); out of it, only wrap stops it, with SIGTERM once claude
        // has exited. A group of its own rather than ignoring SIGINT and SIGQUIT here: the host and the command line
        // each stop on them, and a `kill -INT` meant for this very process still works. .NET cannot start a child in a
        // new group, so the child moves itself; a Ctrl+C before this line still reaches it, but then it reaches wrap
        // too, which is interrupted while starting the gateway and would stop it anyway.
        if (!OperatingSystem.IsWindows() && context.Environment.Variables.ContainsKey(GatewayLaunch.WrappedMarker))
        {
            PosixNative.LeaveProcessGroup();
        }

        var (variables, result) = SettingsReader.Read(context, parseResult, envFile, flags);
        var jsonLogs = result.Settings?.JsonLogs == true;
        if (!jsonLogs)
        {
            await SettingsReader.ReportWarningsAsync(context, result).ConfigureAwait(false);
        }

        if (result.Settings is not { } settings)
        {
            await SettingsReader.ReportInvalidAsync(context, result).ConfigureAwait(false);
            return ExitCodes.InvalidConfiguration;
        }

        var app = GatewayHost.Create(settings, context.ExtraLogs);
        await using (app.ConfigureAwait(false))
        {
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (IOException exception) when (exception.InnerException is SocketException || exception.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
            {
                await context.Error.WriteLineAsync($"vdm: cannot listen on {settings.Host}:{settings.Port}: {exception.Message}").ConfigureAwait(false);
                return ExitCodes.Failed;
            }

            // Disposed before the host: no reload runs once the server is stopping.
            using var reloading = reload
                ? ReloadOnChange.Start(app.Services, context.Environment, parseResult.GetValue(envFile), flags, variables, result.Warnings)
                : null;
            var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(StartupLog.Category);
            if (jsonLogs)
            {
                StartupLog.Started(logger, settings, GatewayHost.ListenUrl(app), result.Warnings, reloading?.Watched);
            }
            else
            {
                await Banner.WriteAsync(context.Error, settings, GatewayHost.ListenUrl(app), reloading?.Watched).ConfigureAwait(false);
            }

            await app.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            if (jsonLogs)
            {
                StartupLog.Stopped(logger);
                return ExitCodes.Ok;
            }
        }

        await context.Error.WriteLineAsync("vdm stopped").ConfigureAwait(false);
        return ExitCodes.Ok;
    }
}
