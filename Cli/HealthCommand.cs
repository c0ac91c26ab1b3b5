using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>
/// <c>vdm health server [--url URL | --host H --port N] [--json]</c>: asks a running vdm for <c>/health</c> and prints
/// its status, version and latency; exit 0 when it answers healthy, 1 otherwise. Where to look comes from the flags,
/// else from the configuration (HOST and PORT, as <c>server start</c> would listen). <c>vdm health upstream</c>: see
/// <see cref="UpstreamHealth"/>.
/// </summary>
internal static class HealthCommand
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static Command Create(CliContext context, Option<string?> envFile)
    {
        var url = new Option<string?>("--url") { Description = "The server's URL, such as http://127.0.0.1:8082", HelpName = "url" };
        var host = new Option<string?>("--host") { Description = "The server's address (default: HOST, else 127.0.0.1)", HelpName = "address" };
        var port = new Option<string?>("--port", "-p") { Description = "The server's port (default: PORT, else 8082)", HelpName = "port" };
        var json = new Option<bool>("--json") { Description = "Print the result as JSON" };

        var server = new Command("server", "Check that a running vdm answers /health; exit 0 when healthy, 1 otherwise") { url, host, port, json };
        server.SetAction((parseResult, cancellationToken) =>
        {
            var target = Target(context, parseResult, envFile, parseResult.GetValue(url), parseResult.GetValue(host), parseResult.GetValue(port), out var problem);
            return target is null
                ? ReportUsageAsync(context, problem!)
                : CheckAsync(context, target, parseResult.GetValue(json), cancellationToken);
        });

        var provider = new Option<string?>("--provider") { Description = "Probe this provider only", HelpName = "name" };
        var upstreamJson = new Option<bool>("--json") { Description = "Print the result as JSON" };
        var upstream = new Command("upstream", "Probe each configured provider (its model list, with its first key); exit 1 if any fails")
        {
            provider, upstreamJson,
        };
        upstream.SetAction((parseResult, cancellationToken) =>
            UpstreamHealth.RunAsync(context, parseResult, envFile, parseResult.GetValue(provider), parseResult.GetValue(upstreamJson), cancellationToken));

        return new Command("health", "Check a running vdm, or the providers it would call") { server, upstream };
    }

    /// <summary>The /health URL to ask: --url, or --host/--port over the configuration's HOST/PORT.</summary>
    private static Uri? Target(
        CliContext context, ParseResult parseResult, Option<string?> envFile, string? url, string? host, string? port, out string? problem)
    {
        problem = null;
        if (url is not null)
        {
            if (host is not null || port is not null)
            {
                problem = "--url cannot be combined with --host or --port";
                return null;
            }

            if (!Uri.TryCreate(url, UriKind.Absolute, out var given) || given.Scheme is not ("http" or "https"))
            {
                problem = $"--url {url}: must be an http:// or https:// URL";
                return null;
            }

            return new Uri(given, "/health");
        }

        // The configuration may be invalid in ways that do not matter here (a provider's key, say): only HOST and PORT count.
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        if (host is not null)
        {
            flags[VariableCatalog.Host] = host;
        }

        if (port is not null)
        {
            flags[VariableCatalog.Port] = port;
        }

        var (variables, _) = SettingsReader.Read(context, parseResult, envFile, flags);
        var address = variables.TryGetNonEmpty(VariableCatalog.Host, out var hostValue) ? hostValue.Value.Trim() : "127.0.0.1";
        var portText = variables.TryGetNonEmpty(VariableCatalog.Port, out var portValue) ? portValue.Value.Trim() : "8082";
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            problem = $"port {portText}: must be a whole number from 1 to 65535";
            return null;
        }

        // A server listening on every address is reached on loopback.
        address = address switch
        {
            "0.0.0.0" => "127.0.0.1",
            "::" or "[::]" => "[::1]",
            _ when address.Contains(':', StringComparison.Ordinal) && !address.StartsWith('[') => $"[{address}]",
            _ => address,
        };
        return Uri.TryCreate($"http://{address}:{number}/health", UriKind.Absolute, out var built) ? built : null;
    }

    private static async Task<int> ReportUsageAsync(CliContext context, string problem)
    {
        await context.Error.WriteLineAsync($"vdm: {problem}").ConfigureAwait(false);
        return ExitCodes.InvalidConfiguration;
    }

    private static async Task<int> CheckAsync(CliContext context, Uri target, bool json, CancellationToken cancellationToken)
    {
        var result = await ProbeAsync(target, cancellationToken).ConfigureAwait(false);
        await context.Output.WriteLineAsync(json ? result.ToJson() : result.ToText()).ConfigureAwait(false);
        return result.Healthy ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>Asks <paramref name="target"/> (a /health URL) once; also how <c>vdm wrap</c> tells a running vdm from anything else on its port.</summary>
    internal static async Task<HealthProbe> ProbeAsync(Uri target, CancellationToken cancellationToken)
    {
        using var client = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = Timeout };
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.GetAsync(target, cancellationToken).ConfigureAwait(false);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            var latency = Stopwatch.GetElapsedTime(started);
            var (status, version) = ReadHealth(body);
            return new HealthProbe(target, (int)response.StatusCode, status ?? "unknown", version, latency, null);
        }
        catch (Exception exception) when (exception is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var error = exception is TaskCanceledException ? $"no answer within {Timeout.TotalSeconds:0} s" : Gateway.Upstream.TransportFailure.InnermostMessage(exception);
            return new HealthProbe(target, null, "unreachable", null, Stopwatch.GetElapsedTime(started), error);
        }
    }

    private static (string? Status, string? Version) ReadHealth(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            return (Text(root, "status"), Text(root, "version"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    private static string? Text(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
