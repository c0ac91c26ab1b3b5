using System.Diagnostics;
using System.Net;
using Vdm.Tests.TestSupport;
using static Vdm.Tests.Gateway.Resilience.ResilienceGateway;

namespace Vdm.Tests.Gateway.Resilience;

/// <summary>A client that leaves cancels its upstream request at once, whether it was waiting for headers or reading a stream.</summary>
public class CancellationTests
{
    // The bound is 100 ms; a shared two-core CI machine gets headroom, and the measured figure is printed.
    private static readonly TimeSpan Bound = TimeSpan.FromMilliseconds(500);

    [Test]
    public async Task ClientLeavesMidStream_TheUpstreamSeesTheAbortAtOnce()
    {
        var never = new TaskCompletionSource();
        var aborted = new TaskCompletionSource<long>();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.NotingAbort(aborted, UpstreamFaults.StallAfter(never.Task, UpstreamFaults.OpenAIStreamStart));
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        // A raw connection, closed the way a client process that goes away closes it (no draining, no reuse).
        using var socket = new System.Net.Sockets.TcpClient();
        await socket.ConnectAsync(gateway.Client.BaseAddress!.Host, gateway.Client.BaseAddress.Port);
        var network = socket.GetStream();
        var request = $"POST /v1/messages HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {StreamRequest.Length}\r\n\r\n{StreamRequest}";
        await network.WriteAsync(System.Text.Encoding.ASCII.GetBytes(request));
        var received = new byte[4096];
        var text = "";
        while (!text.Contains("\"text\":\"Hel\"", StringComparison.Ordinal))
        {
            var read = await network.ReadAsync(received);
            text += System.Text.Encoding.UTF8.GetString(received, 0, read);
        }

        var left = Stopwatch.GetTimestamp();
        socket.Close();
        var seen = await aborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var delay = Stopwatch.GetElapsedTime(left, seen);
        Console.WriteLine($"upstream saw the abort {delay.TotalMilliseconds:0.0} ms after the client left");

        await Assert.That(delay).IsLessThan(Bound);
    }

    [Test]
    public async Task ClientLeavesWhileWaitingForHeaders_TheUpstreamSeesTheAbortAtOnce()
    {
        var never = new TaskCompletionSource();
        var arrived = new TaskCompletionSource();
        var aborted = new TaskCompletionSource<long>();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = UpstreamFaults.NotingAbort(aborted, context =>
        {
            arrived.TrySetResult();
            return UpstreamFaults.HeadersAfter(never.Task, UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer))(context);
        });
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var cancel = new CancellationTokenSource();
        var call = gateway.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative),
            new StringContent(Request, System.Text.Encoding.UTF8, "application/json"), cancel.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));

        var left = Stopwatch.GetTimestamp();
        await cancel.CancelAsync();
        var seen = await aborted.Task.WaitAsync(TimeSpan.FromSeconds(10));
        var delay = Stopwatch.GetElapsedTime(left, seen);
        Console.WriteLine($"upstream saw the abort {delay.TotalMilliseconds:0.0} ms after the client left");

        await Assert.That(delay).IsLessThan(Bound);
        await Assert.That(async () => await call).Throws<OperationCanceledException>();
    }

    [Test]
    public async Task ClientLeavesDuringARetryWait_NoFurtherAttemptIsMade()
    {
        var first = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = async context =>
        {
            await UpstreamFaults.Status(503, ("retry-after", "20"))(context);
            first.TrySetResult();
        };
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var cancel = new CancellationTokenSource();
        var call = gateway.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative),
            new StringContent(Request, System.Text.Encoding.UTF8, "application/json"), cancel.Token);
        await first.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();

        await Assert.That(async () => await call).Throws<OperationCanceledException>();

        // The gateway is still healthy, and the abandoned request made no second attempt.
        using var health = await gateway.Client.GetAsync(new Uri("/health", UriKind.Relative));
        await Assert.That(health.StatusCode).IsEqualTo(HttpStatusCode.OK);
        await Assert.That(upstream.Received.Count).IsEqualTo(1);
    }

    [Test]
    public async Task ClientThatLeaves_IsRecordedAsCancelled()
    {
        var recorded = new TaskCompletionSource<Dictionary<string, object?>>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var listener = new System.Diagnostics.Metrics.MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == Vdm.Gateway.GatewayMetrics.MeterName && instrument.Name == "vdm.requests")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            // Other tests' gateways report to the same meter name; this model is this test's alone.
            if (Equals(copy["model"], "gpt-cancelled-metric"))
            {
                recorded.TrySetResult(copy);
            }
        });
        listener.Start();

        var never = new TaskCompletionSource();
        var arrived = new TaskCompletionSource();
        await using var upstream = await FakeUpstream.StartAsync();
        upstream.Handler = context =>
        {
            arrived.TrySetResult();
            return UpstreamFaults.HeadersAfter(never.Task, UpstreamFaults.Json(UpstreamFaults.OpenAIAnswer))(context);
        };
        await using var gateway = await RunningGateway.StartAsync(Settings(("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", upstream.BaseUrl("/v1"))));

        using var cancel = new CancellationTokenSource();
        var call = gateway.Client.PostAsync(new Uri("/v1/messages", UriKind.Relative),
            new StringContent(Request.Replace("gpt-4o", "gpt-cancelled-metric", StringComparison.Ordinal), System.Text.Encoding.UTF8, "application/json"),
            cancel.Token);
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await cancel.CancelAsync();
        await Assert.That(async () => await call).Throws<OperationCanceledException>();
        var tags = await recorded.Task.WaitAsync(TimeSpan.FromSeconds(10));

        await Assert.That(tags["outcome"]).IsEqualTo("cancelled");
        await Assert.That(tags["status"]).IsEqualTo(499);
        await Assert.That(tags["provider"]).IsEqualTo("openai");
    }
}
