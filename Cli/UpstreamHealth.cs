using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Upstream;

namespace Vdm.Cli;

/// <summary>
/// <c>vdm health upstream [--provider NAME] [--json]</c>: probes every configured provider at once (see
/// <see cref="UpstreamProbe"/>) and prints a table of provider, status, latency and detail; exit 1 if any failed,
/// 2 for an invalid configuration or an unknown provider.
/// </summary>
internal static class UpstreamHealth
{
    public static async Task<int> RunAsync(
        CliContext context, ParseResult parseResult, Option<string?> envFile, string? only, bool json, CancellationToken cancellationToken)
    {
        var (_, result) = SettingsReader.Read(context, parseResult, envFile);
        if (result.Settings is not { } settings)
        {
            await SettingsReader.ReportInvalidAsync(context, result).ConfigureAwait(false);
            return ExitCodes.InvalidConfiguration;
        }

        var providers = only is null ? [.. settings.Providers] : settings.FindProvider(only) is { } found ? [found] : new List<ProviderSettings>();
        if (only is not null && providers.Count == 0)
        {
            var known = GatewaySettings.DescribeProviders(settings.Providers);
            await context.Error.WriteLineAsync($"vdm: no provider '{only}' ({known})").ConfigureAwait(false);
            return ExitCodes.InvalidConfiguration;
        }

        if (providers.Count == 0)
        {
            await context.Error.WriteLineAsync("vdm: no provider is configured; set one's key, such as OPENAI_API_KEY=...").ConfigureAwait(false);
            return ExitCodes.InvalidConfiguration;
        }

        using var clients = new UpstreamClients(settings);
        var probes = await Task.WhenAll(providers.Select(provider => UpstreamProbe.RunAsync(clients, provider, cancellationToken))).ConfigureAwait(false);
        await context.Output.WriteAsync(json ? ToJson(probes) : ToTable(probes)).ConfigureAwait(false);
        return probes.Any(probe => probe.Failed) ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private static string Latency(UpstreamProbeResult probe) =>
        probe.Latency is { } latency ? latency.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms" : "-";

    private static string Status(UpstreamProbeResult probe) => probe.HttpStatus is { } status ? $"{probe.Status} ({status})" : probe.Status;

    private static string ToTable(IReadOnlyList<UpstreamProbeResult> probes)
    {
        return TextTable.Render(
            ["PROVIDER", "STATUS", "LATENCY", "DETAIL"],
            [.. probes.Select(probe => (IReadOnlyList<string>)[probe.Provider, Status(probe), Latency(probe), probe.Detail ?? probe.Url])]);
    }

    private static string ToJson(IReadOnlyList<UpstreamProbeResult> probes)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteBoolean("healthy", !probes.Any(probe => probe.Failed));
            writer.WriteStartArray("providers");
            foreach (var probe in probes)
            {
                writer.WriteStartObject();
                writer.WriteString("name", probe.Provider);
                writer.WriteString("status", probe.Status);
                if (probe.HttpStatus is { } status)
                {
                    writer.WriteNumber("http_status", status);
                }
                else
                {
                    writer.WriteNull("http_status");
                }

                if (probe.Latency is { } latency)
                {
                    writer.WriteNumber("latency_ms", Math.Round(latency.TotalMilliseconds, 1));
                }
                else
                {
                    writer.WriteNull("latency_ms");
                }

                writer.WriteString("url", probe.Url);
                writer.WriteString("detail", probe.Detail);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
