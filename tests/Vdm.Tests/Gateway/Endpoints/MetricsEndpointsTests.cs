using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vdm.Tests.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>/metrics, /metrics/running-totals and /metrics/active-requests after real requests through the server.</summary>
public class MetricsEndpointsTests
{
    private const string Stream =
        "data: {\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n" +
        "data: {\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_1\",\"type\":\"function\"," +
        "\"function\":{\"name\":\"Write\",\"arguments\":\"{}\"}}]}}]}\n\n" +
        "data: {\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n" +
        "data: {\"id\":\"c\",\"model\":\"gpt-4o\",\"choices\":[],\"usage\":{\"prompt_tokens\":30,\"completion_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":10}}}\n\n" +
        "data: [DONE]\n\n";

    private const string Completion =
        "{\"id\":\"c2\",\"model\":\"gpt-4o\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}]," +
        "\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":2}}";

    private static Task<HttpResponseMessage> MessagesAsync(RunningGateway gateway, string model, bool stream, string? key = null)
    {
        var body = $$"""{"model":"{{model}}","max_tokens":100,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]}""";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/messages", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (key is not null)
        {
            request.Headers.Add("x-api-key", key);
        }

        return gateway.Client.SendAsync(request);
    }

    private static async Task<PrometheusParser> ScrapeAsync(RunningGateway gateway)
    {
        using var response = await gateway.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(response.Content.Headers.ContentType?.ToString()).IsEqualTo("text/plain; version=0.0.4; charset=utf-8");
        return PrometheusParser.Parse(await response.Content.ReadAsStringAsync());
    }

    private static async Task<RunningGateway> StreamingThenJsonAsync(FakeUpstream upstream, params (string Name, string Value)[] more)
    {
        upstream.RespondInTurn(
            async context =>
            {
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync(Stream);
            },
            async context =>
            {
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(Completion);
            });
        var gateway = await RunningGateway.StartAsync(TestVariables.Settings([("OPENAI_API_KEY", "sk-test"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), .. more]));
        using (var streamed = await MessagesAsync(gateway, "openai:gpt-4o", stream: true))
        {
            await streamed.Content.ReadAsStringAsync();
        }

        using (var whole = await MessagesAsync(gateway, "openai:gpt-4o", stream: false))
        {
            await whole.Content.ReadAsStringAsync();
        }

        return gateway;
    }

    [Test]
    public async Task Prometheus_AfterAStreamAndAJsonAnswer_CountsRequestsTokensToolUsesAndHistograms()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await StreamingThenJsonAsync(upstream);

        var metrics = await ScrapeAsync(gateway);

        (string, string)[] model = [("provider", "openai"), ("model", "gpt-4o")];
        await Assert.That(metrics.Value("vdm_requests_total", [.. model, ("stream", "true"), ("status", "200")])).IsEqualTo(1);
        await Assert.That(metrics.Value("vdm_requests_total", [.. model, ("stream", "false"), ("status", "200")])).IsEqualTo(1);
        await Assert.That(metrics.Value("vdm_tokens_total", [.. model, ("kind", "input")])).IsEqualTo(20 + 5);
        await Assert.That(metrics.Value("vdm_tokens_total", [.. model, ("kind", "output")])).IsEqualTo(7 + 2);
        await Assert.That(metrics.Value("vdm_tokens_total", [.. model, ("kind", "cache_read")])).IsEqualTo(10);
        await Assert.That(metrics.Value("vdm_tool_uses_total", model)).IsEqualTo(1);
        await Assert.That(metrics.Value("vdm_request_duration_seconds_count", [.. model, ("stream", "true")])).IsEqualTo(1);
        await Assert.That(metrics.Value("vdm_request_duration_seconds_count", [.. model, ("stream", "false")])).IsEqualTo(1);
        await Assert.That(metrics.Value("vdm_time_to_first_token_seconds_count", [.. model, ("stream", "true")])).IsEqualTo(1);
        await Assert.That(metrics.Value("vdm_time_to_first_token_seconds_count", [.. model, ("stream", "false")])).IsNull();
        await Assert.That(metrics.Value("vdm_http_requests_total", ("route", "/v1/messages"), ("status", "200"))).IsEqualTo(2);
        await Assert.That(metrics.Value("vdm_active_requests")).IsEqualTo(0);
        await Assert.That(metrics.Named("vdm_errors_total")).IsEmpty();
        await Assert.That(metrics.Types["vdm_request_duration_seconds"]).IsEqualTo("histogram");
        await Assert.That(metrics.Types["vdm_requests_total"]).IsEqualTo("counter");
    }

    [Test]
    public async Task Prometheus_ChatCompletionsStream_CountsTheOpenAIUsageAsInputWithoutTheCachedPart()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondStream(Stream);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "sk-test"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));
        const string body = """{"model":"openai:gpt-4o","stream":true,"messages":[{"role":"user","content":"Hi"}]}""";

        using (var response = await gateway.Client.PostAsync(new Uri("/v1/chat/completions", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json")))
        {
            await Assert.That(await response.Content.ReadAsStringAsync()).IsEqualTo(Stream);
        }

        var metrics = await ScrapeAsync(gateway);

        (string, string)[] model = [("provider", "openai"), ("model", "gpt-4o")];
        await Assert.That(metrics.Value("vdm_tokens_total", [.. model, ("kind", "input")])).IsEqualTo(20);
        await Assert.That(metrics.Value("vdm_tokens_total", [.. model, ("kind", "cache_read")])).IsEqualTo(10);
        await Assert.That(metrics.Value("vdm_tokens_total", [.. model, ("kind", "output")])).IsEqualTo(7);
        await Assert.That(metrics.Value("vdm_tool_uses_total", model)).IsEqualTo(1);
        await Assert.That(metrics.Value("vdm_response_bytes_total", model)).IsEqualTo(Encoding.UTF8.GetByteCount(Stream));
        await Assert.That(metrics.Value("vdm_request_bytes_total", model)).IsEqualTo(Encoding.UTF8.GetByteCount(body));
        await Assert.That(metrics.Value("vdm_time_to_first_token_seconds_count", [.. model, ("stream", "true")])).IsEqualTo(1);
    }

    [Test]
    public async Task Prometheus_UpstreamErrorAndUnknownModel_CountErrorsByTypeAndUnroutedOnlyByRoute()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson("""{"error":{"message":"slow down","type":"rate_limit_exceeded"}}""", 429, retryAfter: "120");
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "sk-test"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("MAX_RETRIES", "0")));

        using (var limited = await MessagesAsync(gateway, "openai:gpt-4o", stream: false))
        {
            await Assert.That((int)limited.StatusCode).IsEqualTo(429);
        }

        using (var unknown = await MessagesAsync(gateway, "nosuch:model", stream: false))
        {
            await Assert.That((int)unknown.StatusCode).IsEqualTo(400);
        }

        var metrics = await ScrapeAsync(gateway);

        await Assert.That(metrics.Value("vdm_errors_total", ("provider", "openai"), ("model", "gpt-4o"), ("stream", "false"), ("type", "rate_limit_error"))).IsEqualTo(1);
        await Assert.That(metrics.Value("vdm_requests_total", ("provider", "openai"), ("model", "gpt-4o"), ("stream", "false"), ("status", "429"))).IsEqualTo(1);
        await Assert.That(metrics.Value("vdm_http_requests_total", ("route", "/v1/messages"), ("status", "400"))).IsEqualTo(1);

        // A model name that routes nowhere is the client's text: it never becomes a label.
        await Assert.That(metrics.Samples.Any(sample => sample.Labels.Values.Contains("model") || sample.Labels.Values.Contains("nosuch"))).IsFalse();
    }

    [Test]
    public async Task Prometheus_MoreModelsThanTheCap_CountTheRestAsOther()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.RespondJson(Completion);
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(
            ("OPENAI_API_KEY", "sk-test"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1")), ("METRICS_MAX_MODELS", "2")));

        foreach (var model in new[] { "a", "b", "c", "d", "a" })
        {
            using var response = await MessagesAsync(gateway, "openai:" + model, stream: false);
            await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.OK);
        }

        var metrics = await ScrapeAsync(gateway);
        var models = metrics.Named("vdm_requests_total").ToDictionary(sample => sample.Labels["model"], sample => sample.Value);

        await Assert.That(models).IsEquivalentTo(new Dictionary<string, double> { ["a"] = 2, ["b"] = 1, ["other"] = 2 });
    }

    [Test]
    public async Task Prometheus_WithAProxyKey_RequiresIt()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("PROXY_API_KEY", "proxy-secret"), ("OPENAI_API_KEY", "sk-test")));

        using var refused = await gateway.Client.GetAsync(new Uri("/metrics", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "proxy-secret");
        using var allowed = await gateway.Client.SendAsync(request);

        await Assert.That(refused.StatusCode).IsEqualTo(HttpStatusCode.Unauthorized);
        await Assert.That(allowed.StatusCode).IsEqualTo(HttpStatusCode.OK);
    }

    [Test]
    public async Task RunningTotals_Yaml_IsTheOriginalsReportShapeWithTheCounts()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await StreamingThenJsonAsync(upstream);

        using var response = await gateway.Client.GetAsync(new Uri("/metrics/running-totals", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        var yaml = new YamlStream();
        yaml.Load(new StringReader(text));
        var root = (YamlMappingNode)yaml.Documents.Single().RootNode;
        string At(params string[] path) => ((YamlScalarNode)path.Aggregate((YamlNode)root, (node, key) => ((YamlMappingNode)node)[key])).Value!;

        await Assert.That(response.Content.Headers.ContentType?.MediaType).IsEqualTo("application/yaml");
        await Assert.That(text).StartsWith("# vdm running totals");
        await Assert.That(At("summary", "total_requests")).IsEqualTo("2");
        await Assert.That(At("summary", "streaming_requests")).IsEqualTo("1");
        await Assert.That(At("summary", "total_input_tokens")).IsEqualTo("25");
        await Assert.That(At("summary", "total_output_tokens")).IsEqualTo("9");
        await Assert.That(At("summary", "total_cache_read_tokens")).IsEqualTo("10");
        await Assert.That(At("summary", "total_tool_uses")).IsEqualTo("1");
        await Assert.That(At("summary", "active_requests")).IsEqualTo("0");
        await Assert.That(At("providers", "openai", "rollup", "total", "requests")).IsEqualTo("2");
        await Assert.That(At("providers", "openai", "rollup", "streaming", "output_tokens")).IsEqualTo("7");
        await Assert.That(At("providers", "openai", "rollup", "non_streaming", "output_tokens")).IsEqualTo("2");
        await Assert.That(At("providers", "openai", "models", "gpt-4o", "total", "cache_read_tokens")).IsEqualTo("10");
        await Assert.That(double.Parse(At("providers", "openai", "models", "gpt-4o", "streaming", "average_ttft_ms"), System.Globalization.CultureInfo.InvariantCulture)).IsGreaterThan(0);
        await Assert.That(At("providers", "openai", "models", "gpt-4o", "non_streaming", "average_ttft_ms")).IsEqualTo("null");
        await Assert.That(DateTimeOffset.TryParse(At("providers", "openai", "last_accessed"), System.Globalization.CultureInfo.InvariantCulture, out _)).IsTrue();
    }

    [Test]
    public async Task RunningTotals_JsonWithFilters_SelectsProvidersAndModelsByGlob()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var gateway = await StreamingThenJsonAsync(upstream);

        using var matching = JsonDocument.Parse(await gateway.Client.GetStringAsync(new Uri("/metrics/running-totals?format=json&provider=OPEN*&model=gpt-?o", UriKind.Relative)));
        using var other = JsonDocument.Parse(await gateway.Client.GetStringAsync(new Uri("/metrics/running-totals?format=json&provider=poe", UriKind.Relative)));
        using var bad = await gateway.Client.GetAsync(new Uri("/metrics/running-totals?format=xml", UriKind.Relative));

        await Assert.That(matching.RootElement.GetProperty("summary").GetProperty("total_requests").GetInt64()).IsEqualTo(2);
        await Assert.That(matching.RootElement.GetProperty("filter").GetProperty("provider").GetString()).IsEqualTo("OPEN*");
        await Assert.That(matching.RootElement.GetProperty("providers").GetProperty("openai").GetProperty("models").GetProperty("gpt-4o")
            .GetProperty("total").GetProperty("tool_uses").GetInt64()).IsEqualTo(1);
        await Assert.That(other.RootElement.GetProperty("summary").GetProperty("total_requests").GetInt64()).IsEqualTo(0);
        await Assert.That(other.RootElement.GetProperty("providers").EnumerateObject().Count()).IsEqualTo(0);
        await Assert.That(bad.StatusCode).IsEqualTo(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task ActiveRequests_WhileAStreamIsOpen_ListsItThenNot()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            context.Response.ContentType = "text/event-stream";
            await context.Response.WriteAsync("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\n");
            await context.Response.Body.FlushAsync();
            await release.Task;
            await context.Response.WriteAsync("data: {\"id\":\"c\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n");
        };
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings(("OPENAI_API_KEY", "sk-test"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));
        var body = """{"model":"openai:gpt-4o","max_tokens":10,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""";
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/v1/messages", UriKind.Relative)) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        using var streaming = await gateway.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        var reader = new StreamReader(await streaming.Content.ReadAsStreamAsync());

        // The first text delta has reached the client: the request is under way, with its first token out.
        while (await reader.ReadLineAsync() is { } line && !line.Contains("text_delta", StringComparison.Ordinal))
        {
        }

        using var during = JsonDocument.Parse(await gateway.Client.GetStringAsync(new Uri("/metrics/active-requests", UriKind.Relative)));
        release.SetResult();
        await reader.ReadToEndAsync();
        reader.Dispose();
        using var after = JsonDocument.Parse(await gateway.Client.GetStringAsync(new Uri("/metrics/active-requests", UriKind.Relative)));

        var active = during.RootElement.GetProperty("requests").EnumerateArray().Single();
        await Assert.That(during.RootElement.GetProperty("active_requests").GetInt32()).IsEqualTo(1);
        await Assert.That(active.GetProperty("request_id").GetString()).IsEqualTo(streaming.Headers.GetValues("x-vdm-request-id").Single());
        await Assert.That(active.GetProperty("path").GetString()).IsEqualTo("/v1/messages");
        await Assert.That(active.GetProperty("requested_model").GetString()).IsEqualTo("openai:gpt-4o");
        await Assert.That(active.GetProperty("provider").GetString()).IsEqualTo("openai");
        await Assert.That(active.GetProperty("model").GetString()).IsEqualTo("gpt-4o");
        await Assert.That(active.GetProperty("stream").GetBoolean()).IsTrue();
        await Assert.That(active.GetProperty("ttft_ms").ValueKind).IsEqualTo(JsonValueKind.Number);
        await Assert.That(active.GetProperty("response_bytes").GetInt64()).IsGreaterThan(0);
        await Assert.That(after.RootElement.GetProperty("active_requests").GetInt32()).IsEqualTo(0);
        await Assert.That(after.RootElement.GetProperty("requests").GetArrayLength()).IsEqualTo(0);
    }
}
