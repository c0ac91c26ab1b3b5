using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vdm.Cli;

/// <summary>What <c>vdm health server</c> found: the server's answer to <c>/health</c>, or why there was none.</summary>
/// <param name="HttpStatus">The HTTP status, or null when the server could not be reached.</param>
/// <param name="Status">The body's <c>status</c> (<c>healthy</c>), <c>unknown</c> for a body that is not vdm's, or <c>unreachable</c>.</param>
internal sealed record HealthProbe(Uri Url, int? HttpStatus, string Status, string? Version, TimeSpan Latency, string? Error)
{
    public bool Healthy => HttpStatus == 200 && Status == "healthy";

    private string Milliseconds => Latency.TotalMilliseconds.ToString("0.0", CultureInfo.InvariantCulture);

    /// <summary>One line: <c>healthy  http://127.0.0.1:8082/health  vdm 0.1.0  2.1 ms</c>.</summary>
    public string ToText() => HttpStatus is null
        ? $"unreachable  {Url}  {Error}  ({Milliseconds} ms)"
        : $"{(Healthy ? "healthy" : $"unhealthy (HTTP {HttpStatus}, status {Status})")}  {Url}  {(Version is null ? "" : $"vdm {Version}  ")}{Milliseconds} ms";

    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("url", Url.ToString());
            writer.WriteBoolean("healthy", Healthy);
            writer.WriteString("status", Status);
            if (HttpStatus is { } status)
            {
                writer.WriteNumber("http_status", status);
            }
            else
            {
                writer.WriteNull("http_status");
            }

            writer.WriteString("version", Version);
            writer.WriteNumber("latency_ms", Math.Round(Latency.TotalMilliseconds, 1));
            writer.WriteString("error", Error);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
