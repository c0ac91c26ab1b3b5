using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using Vdm.Gateway;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway;

public class GatewayHostTests
{
    [Test]
    public async Task UnknownRoute_Returns404InAnthropicShapeWithTheRequestId()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());

        using var response = await gateway.Client.GetAsync(new Uri("/v1/unknown?x=1", UriKind.Relative));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var requestId = response.Headers.GetValues(RequestContext.HeaderName).Single();

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.NotFound);
        await Assert.That(body.RootElement.GetProperty("type").GetString()).IsEqualTo("error");
        await Assert.That(body.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("not_found_error");
        await Assert.That(body.RootElement.GetProperty("error").GetProperty("message").GetString()).IsEqualTo("Not found: GET /v1/unknown");
        await Assert.That(body.RootElement.GetProperty("request_id").GetString()).IsEqualTo(requestId);
    }

    [Test]
    public async Task WrongMethod_Returns405InAnthropicShape()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());

        using var response = await gateway.Client.PostAsync(new Uri("/health", UriKind.Relative), new StringContent("{}"));
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());

        await Assert.That(response.StatusCode).IsEqualTo(HttpStatusCode.MethodNotAllowed);
        await Assert.That(body.RootElement.GetProperty("error").GetProperty("type").GetString()).IsEqualTo("invalid_request_error");
    }

    [Test]
    public async Task EveryResponse_CarriesADistinctRequestId()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());

        using var first = await gateway.Client.GetAsync(new Uri("/health", UriKind.Relative));
        using var second = await gateway.Client.GetAsync(new Uri("/health", UriKind.Relative));
        var firstId = first.Headers.GetValues(RequestContext.HeaderName).Single();
        var secondId = second.Headers.GetValues(RequestContext.HeaderName).Single();

        await Assert.That(firstId).Matches("^req_[0-9a-f]{32}$");
        await Assert.That(secondId).IsNotEqualTo(firstId);
    }

    [Test]
    public async Task Responses_HaveNoServerHeader()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());

        using var response = await gateway.Client.GetAsync(new Uri("/health", UriKind.Relative));

        await Assert.That(response.Headers.Contains("Server")).IsFalse();
    }

    [Test]
    public async Task Root_NamesTheProductAndItsEndpoints()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());

        var body = await gateway.Client.GetStringAsync(new Uri("/", UriKind.Relative));

        await Assert.That(body).IsEqualTo(
            "{\"name\":\"vdm\",\"version\":\"" + VdmVersion.Current + "\",\"status\":\"running\",\"endpoints\":{\"health\":\"GET /health\",\"messages\":\"POST /v1/messages\",\"count_tokens\":\"POST /v1/messages/count_tokens\",\"models\":\"GET /v1/models\",\"aliases\":\"GET /v1/aliases\",\"chat_completions\":\"POST /v1/chat/completions\",\"metrics\":\"GET /metrics\",\"running_totals\":\"GET /metrics/running-totals\",\"active_requests\":\"GET /metrics/active-requests\"}}");
    }

    [Test]
    public async Task CompletedRequest_IsRecordedByTheMetricsHook()
    {
        await using var gateway = await RunningGateway.StartAsync(TestVariables.Settings());
        var recorded = new TaskCompletionSource<(long Value, Dictionary<string, object?> Tags)>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == GatewayMetrics.MeterName && instrument.Name == "vdm.requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            if (Equals(copy["route"], "/health"))
            {
                recorded.TrySetResult((value, copy));
            }
        });
        listener.Start();

        using var response = await gateway.Client.GetAsync(new Uri("/health", UriKind.Relative));
        var (count, tags) = await recorded.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(count).IsEqualTo(1);
        await Assert.That(tags["status"]).IsEqualTo(200);
    }
}
