using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vdm.Gateway.Metrics;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// What a running vdm has done and is doing, behind the same <c>PROXY_API_KEY</c> as the API (model names and usage
/// are not for everyone): <c>/metrics</c> for Prometheus, <c>/metrics/running-totals</c> (YAML, or JSON with
/// <c>?format=json</c>; <c>provider</c> and <c>model</c> glob filters) and <c>/metrics/active-requests</c> (JSON).
/// </summary>
internal static class MetricsEndpoints
{
    public static Task PrometheusAsync(HttpContext context)
    {
        var metrics = context.RequestServices.GetRequiredService<GatewayMetrics>();
        context.Response.ContentType = PrometheusText.ContentType;
        return context.Response.WriteAsync(PrometheusText.Render(metrics), context.RequestAborted);
    }

    public static async Task RunningTotalsAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var format = query["format"].ToString();
        if (format.Length > 0 && format is not ("json" or "yaml"))
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, $"format: must be yaml or json, not '{format}'").ConfigureAwait(false);
            return;
        }

        var metrics = context.RequestServices.GetRequiredService<GatewayMetrics>();
        var (providers, models) = (new Glob(query["provider"].ToString()), new Glob(query["model"].ToString()));
        var report = RunningTotalsReport.Build(metrics, providers, models, context.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow());
        if (format == "json")
        {
            context.Response.ContentType = "application/json";
            using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
            report.WriteJson(writer);
            await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            return;
        }

        // The filters are in the report itself (quoted there): the client's text never goes into a comment line.
        var yaml = new StringBuilder("# vdm running totals, since this instance started\n", 4096);
        report.WriteYaml(yaml);
        context.Response.ContentType = "application/yaml; charset=utf-8";
        await context.Response.WriteAsync(yaml.ToString(), context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task ActiveRequestsAsync(HttpContext context)
    {
        var metrics = context.RequestServices.GetRequiredService<GatewayMetrics>();
        var requests = metrics.Active.Snapshot();
        context.Response.ContentType = "application/json";
        using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteNumber("active_requests", requests.Count);
        writer.WriteStartArray("requests");
        foreach (var request in requests)
        {
            Write(writer, request);
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static void Write(Utf8JsonWriter writer, RequestContext request)
    {
        var usage = request.Usage;
        writer.WriteStartObject();
        writer.WriteString("request_id", request.RequestId);
        writer.WriteString("method", request.Method);
        writer.WriteString("path", request.Path);
        writer.WriteString("requested_model", request.RequestedModel);
        writer.WriteString("provider", request.Provider);
        writer.WriteString("model", request.Model);
        writer.WriteBoolean("stream", request.Stream);
        writer.WriteString("started_at", request.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture));
        writer.WriteNumber("duration_ms", (long)request.Elapsed.TotalMilliseconds);
        if (request.TimeToFirstToken is { } ttft)
        {
            writer.WriteNumber("ttft_ms", (long)ttft.TotalMilliseconds);
        }
        else
        {
            writer.WriteNull("ttft_ms");
        }

        writer.WriteNumber("input_tokens", usage.InputTokens);
        writer.WriteNumber("output_tokens", usage.OutputTokens);
        writer.WriteNumber("tool_uses", usage.ToolUses);
        writer.WriteNumber("request_bytes", usage.RequestBytes);
        writer.WriteNumber("response_bytes", usage.ResponseBytes);
        writer.WriteEndObject();
    }
}
