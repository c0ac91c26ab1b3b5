using System.Globalization;
using System.Text;

namespace Vdm.Gateway.Metrics;

/// <summary>
/// <c>GET /metrics</c>'s body: Prometheus's text exposition format (0.0.4) of <see cref="GatewayMetrics"/>. Each
/// instance reports its own counts since it started; Prometheus adds a fleet up (<c>sum by (model) (rate(…))</c>).
/// Series come out sorted, so that two scrapes of an idle gateway are identical.
/// </summary>
internal static class PrometheusText
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    public static string Render(GatewayMetrics metrics)
    {
        var text = new StringBuilder(4096);
        var series = metrics.Series.OrderBy(pair => pair.Key.Provider, StringComparer.Ordinal)
            .ThenBy(pair => pair.Key.Model, StringComparer.Ordinal)
            .ThenBy(pair => pair.Key.Stream)
            .ToList();

        Family(text, "vdm_build_info", "gauge", "The running vdm's version.");
        Sample(text, "vdm_build_info", [("version", VdmVersion.Current)], 1);

        Family(text, "vdm_start_time_seconds", "gauge", "When this vdm started, in seconds since the Unix epoch.");
        Sample(text, "vdm_start_time_seconds", [], metrics.StartedAt.ToUnixTimeMilliseconds() / 1000.0);

        Family(text, "vdm_active_requests", "gauge", "Model requests in flight.");
        Sample(text, "vdm_active_requests", [], metrics.Active.Count);

        Family(text, "vdm_http_requests_total", "counter", "HTTP requests handled, by route pattern and status.");
        foreach (var ((route, status), count) in metrics.Routes.OrderBy(pair => pair.Key.Route, StringComparer.Ordinal).ThenBy(pair => pair.Key.Status))
        {
            Sample(text, "vdm_http_requests_total", [("route", route), ("status", Int(status))], Interlocked.Read(ref count.Value));
        }

        Family(text, "vdm_requests_total", "counter", "Model requests by provider, model, streaming and HTTP status.");
        foreach (var (key, values) in series)
        {
            foreach (var (status, count) in values.Statuses.OrderBy(pair => pair.Key))
            {
                Sample(text, "vdm_requests_total", [.. Labels(key), ("status", Int(status))], Interlocked.Read(ref count.Value));
            }
        }

        Family(text, "vdm_errors_total", "counter", "Model requests that failed, by error type (cancelled: the client left).");
        foreach (var (key, values) in series)
        {
            foreach (var (type, count) in values.ErrorsByType.OrderBy(pair => pair.Key, StringComparer.Ordinal))
            {
                Sample(text, "vdm_errors_total", [.. Labels(key), ("type", type)], Interlocked.Read(ref count.Value));
            }
        }

        // Tokens, tool calls and bytes do not depend on streaming: one series per provider and model.
        var models = series.GroupBy(pair => (pair.Key.Provider, pair.Key.Model)).ToList();
        Family(text, "vdm_tokens_total", "counter", "Tokens the answers stated, by kind: input (uncached), output, cache_read, cache_write.");
        foreach (var model in models)
        {
            (string, string)[] labels = [("provider", model.Key.Provider), ("model", model.Key.Model)];
            Sample(text, "vdm_tokens_total", [.. labels, ("kind", "input")], model.Sum(pair => pair.Value.InputTokens));
            Sample(text, "vdm_tokens_total", [.. labels, ("kind", "output")], model.Sum(pair => pair.Value.OutputTokens));
            Sample(text, "vdm_tokens_total", [.. labels, ("kind", "cache_read")], model.Sum(pair => pair.Value.CacheReadTokens));
            Sample(text, "vdm_tokens_total", [.. labels, ("kind", "cache_write")], model.Sum(pair => pair.Value.CacheWriteTokens));
        }

        Family(text, "vdm_tool_uses_total", "counter", "Tool calls the models made.");
        foreach (var model in models)
        {
            Sample(text, "vdm_tool_uses_total", [("provider", model.Key.Provider), ("model", model.Key.Model)], model.Sum(pair => pair.Value.ToolUses));
        }

        Family(text, "vdm_request_bytes_total", "counter", "Bytes of model request bodies received from clients.");
        foreach (var model in models)
        {
            Sample(text, "vdm_request_bytes_total", [("provider", model.Key.Provider), ("model", model.Key.Model)], model.Sum(pair => pair.Value.RequestBytes));
        }

        Family(text, "vdm_response_bytes_total", "counter", "Bytes of model answers sent to clients.");
        foreach (var model in models)
        {
            Sample(text, "vdm_response_bytes_total", [("provider", model.Key.Provider), ("model", model.Key.Model)], model.Sum(pair => pair.Value.ResponseBytes));
        }

        Family(text, "vdm_request_duration_seconds", "histogram", "Model requests from their first byte in to their last byte out.");
        foreach (var (key, values) in series)
        {
            Histogram(text, "vdm_request_duration_seconds", Labels(key), values.Duration);
        }

        Family(text, "vdm_time_to_first_token_seconds", "histogram", "Streamed model requests from their first byte in to their first token out.");
        foreach (var (key, values) in series)
        {
            if (values.FirstToken.Count > 0)
            {
                Histogram(text, "vdm_time_to_first_token_seconds", Labels(key), values.FirstToken);
            }
        }

        return text.ToString();
    }

    private static (string, string)[] Labels(SeriesKey key) =>
        [("provider", key.Provider), ("model", key.Model), ("stream", key.Stream ? "true" : "false")];

    private static void Histogram(StringBuilder text, string name, (string, string)[] labels, LatencyHistogram histogram)
    {
        var cumulative = histogram.Cumulative();
        for (var i = 0; i < histogram.Bounds.Count; i++)
        {
            Sample(text, name + "_bucket", [.. labels, ("le", Number(histogram.Bounds[i]))], cumulative[i]);
        }

        Sample(text, name + "_bucket", [.. labels, ("le", "+Inf")], cumulative[^1]);
        Sample(text, name + "_sum", labels, histogram.SumSeconds);
        Sample(text, name + "_count", labels, cumulative[^1]);
    }

    private static void Family(StringBuilder text, string name, string type, string help) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(' ').Append(type).Append('\n');

    private static void Sample(StringBuilder text, string name, (string Name, string Value)[] labels, double value)
    {
        text.Append(name);
        if (labels.Length > 0)
        {
            text.Append('{');
            for (var i = 0; i < labels.Length; i++)
            {
                text.Append(i == 0 ? "" : ",").Append(labels[i].Name).Append("=\"");
                foreach (var c in labels[i].Value)
                {
                    // The format's three escapes; everything else is UTF-8 as it is.
                    _ = c switch
                    {
                        '\\' => text.Append("\\\\"),
                        '"' => text.Append("\\\""),
                        '\n' => text.Append("\\n"),
                        _ => text.Append(c),
                    };
                }

                text.Append('"');
            }

            text.Append('}');
        }

        text.Append(' ').Append(Number(value)).Append('\n');
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Int(int value) => value.ToString(CultureInfo.InvariantCulture);
}
