using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text;

namespace Vdm.Load;

/// <summary>
/// Opens streaming <c>POST /v1/messages</c> requests to vdm, as Claude Code does, and checks each answer event by
/// event with a <see cref="TranscriptCheck"/>. One client and one handler for all of them; every stream has its own
/// connection, as separate Claude Code sessions would.
/// </summary>
internal sealed class StreamClient(Uri vdm, string expectedText, StreamTally tally) : IDisposable
{
    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        // One connection per stream: the default is already unbounded, said here because the test depends on it.
        MaxConnectionsPerServer = int.MaxValue,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        ConnectTimeout = TimeSpan.FromSeconds(30),
        UseProxy = false,
        UseCookies = false,
        AutomaticDecompression = DecompressionMethods.None,
    })
    {
        // Each stream has its own deadline (the token passed in), so the client's 100 s default must not cut it short.
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly Uri _messages = new(vdm, "/v1/messages");

    /// <summary>Runs stream number <paramref name="stream"/> to its end and records the outcome in the tally.</summary>
    /// <param name="body">The request body (<see cref="RequestBodies"/>), shared by every stream that sends it.</param>
    public async Task RunAsync(int stream, byte[] body, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, _messages) { Content = content };
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var error = await response.Content.ReadAsStringAsync(cancellationToken);
                tally.Fail(stream, new StreamFailure($"HTTP {(int)response.StatusCode}", error));
                return;
            }

            tally.Open.Increment();
            try
            {
                await ReadAsync(stream, response, started, cancellationToken);
            }
            finally
            {
                tally.Open.Decrement();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            tally.Fail(stream, new StreamFailure("timed out or cancelled", $"after {Stopwatch.GetElapsedTime(started).TotalSeconds:F1} s"));
        }
        catch (OperationCanceledException exception)
        {
            // Not our deadline: the handler's own, ConnectTimeout, when vdm stopped accepting connections.
            tally.Fail(stream, new StreamFailure("connect timed out", Describe(exception)));
        }
        catch (Exception exception) when (exception is HttpRequestException or IOException)
        {
            tally.Fail(stream, new StreamFailure("transport error", Describe(exception)));
        }
    }

    public void Dispose() => _http.Dispose();

    private async Task ReadAsync(int stream, HttpResponseMessage response, long started, CancellationToken cancellationToken)
    {
        var check = new TranscriptCheck(expectedText);
        var firstEvent = TimeSpan.Zero;
        var longestGap = TimeSpan.Zero;
        var last = 0L;
        await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
        await foreach (var item in SseParser.Create(body, SseEvent.Parse).EnumerateAsync(cancellationToken))
        {
            var now = Stopwatch.GetTimestamp();
            if (last == 0)
            {
                firstEvent = Stopwatch.GetElapsedTime(started, now);
            }
            else if (Stopwatch.GetElapsedTime(last, now) is var gap && gap > longestGap)
            {
                longestGap = gap;
            }

            last = now;
            check.Add(item.Data);
        }

        if (check.Verdict() is { } failure)
        {
            tally.Fail(stream, failure);
            return;
        }

        tally.Pass(stream, firstEvent, longestGap);
    }

    /// <summary>The exception's message with its inner ones: "Connection refused" is usually an inner exception.</summary>
    private static string Describe(Exception exception)
    {
        var text = new StringBuilder(exception.Message);
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            text.Append(" <- ").Append(inner.Message);
        }

        return text.ToString();
    }
}
