using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vdm.Conversion;
using Vdm.Gateway;
using Vdm.Gateway.Metrics;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Metrics;

public class PrometheusTextTests
{
    private static (GatewayMetrics Metrics, ServiceProvider Services) NewMetrics()
    {
        var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        return (new GatewayMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), TimeProvider.System, 10), services);
    }

    private static void Complete(GatewayMetrics metrics, string provider, string model, int status, bool stream = false)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        var request = RequestContext.Begin(context);
        request.AnswerFormat = ApiFormat.Anthropic;
        (request.Provider, request.Model, request.Stream) = (provider, model, stream);
        request.Usage.InputTokens = 3;
        metrics.RequestStarted(request, modelRequest: true);
        metrics.RequestCompleted(request, "/v1/messages", status);
    }

    [Test]
    public async Task Render_ModelNameWithQuotesBackslashesAndLineFeeds_IsEscapedAndReadsBackTheSame()
    {
        var (metrics, services) = NewMetrics();
        using var owned = services;
        using var _ = metrics;
        const string model = "we\"ird\\name\nx";
        Complete(metrics, "openai", model, 200);

        var text = PrometheusText.Render(metrics);
        var parsed = PrometheusParser.Parse(text);

        await Assert.That(text).Contains("model=\"we\\\"ird\\\\name\\nx\"");
        await Assert.That(parsed.Value("vdm_requests_total", ("provider", "openai"), ("model", model), ("stream", "false"), ("status", "200"))).IsEqualTo(1);
    }

    [Test]
    public async Task Render_TwoStatusesOneModel_GroupsEachFamilyOnceUnderItsType()
    {
        var (metrics, services) = NewMetrics();
        using var owned = services;
        using var _ = metrics;
        Complete(metrics, "openai", "gpt-4o", 200, stream: true);
        Complete(metrics, "openai", "gpt-4o", 500, stream: true);
        Complete(metrics, "poe", "claude", 200);

        var parsed = PrometheusParser.Parse(PrometheusText.Render(metrics));

        await Assert.That(parsed.Named("vdm_requests_total").Count()).IsEqualTo(3);
        await Assert.That(parsed.Value("vdm_errors_total", ("provider", "openai"), ("model", "gpt-4o"), ("stream", "true"), ("type", "api_error"))).IsEqualTo(1);
        await Assert.That(parsed.Value("vdm_tokens_total", ("provider", "openai"), ("model", "gpt-4o"), ("kind", "input"))).IsEqualTo(6);
        await Assert.That(parsed.Value("vdm_request_duration_seconds_bucket", ("provider", "openai"), ("model", "gpt-4o"), ("stream", "true"), ("le", "+Inf"))).IsEqualTo(2);
        await Assert.That(parsed.Value("vdm_build_info", ("version", VdmVersion.Current))).IsEqualTo(1);
    }

    [Test]
    [Arguments("vdm_x 1\n", "not under its family's TYPE")]
    [Arguments("# TYPE vdm_x counter\nvdm_x{a=\"1\"} 1\nvdm_x{a=\"1\"} 2\n", "duplicate series")]
    [Arguments("# TYPE vdm_x counter\nvdm_x{a=\"\\t\"} 1\n", "escape")]
    [Arguments("# TYPE vdm_x counter\nvdm_x 1,5\n", "bad value")]
    [Arguments("# TYPE vdm_x counter\nvdm_x 1\n# TYPE vdm_y gauge\nvdm_y 1\n# HELP vdm_x again\n", "appears twice")]
    [Arguments("# TYPE vdm_h histogram\nvdm_h_bucket{le=\"1\"} 2\nvdm_h_bucket{le=\"+Inf\"} 1\nvdm_h_count 1\nvdm_h_sum 1\n", "decrease")]
    [Arguments("# TYPE vdm_x counter\nvdm_x 1", "line feed")]
    public async Task Parser_RejectsWhatAScraperWould(string text, string problem)
    {
        var exception = Assert.Throws<FormatException>(() => PrometheusParser.Parse(text));

        await Assert.That(exception.Message).Contains(problem);
    }
}
