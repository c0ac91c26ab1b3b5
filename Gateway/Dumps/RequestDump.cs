using System.Buffers;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;

namespace Vdm.Gateway.Dumps;

/// <summary>
/// For troubleshooting (<c>VDM_DUMP_DIR</c>, <c>vdm server start --dump DIR</c>): one model request written to
/// <c>DIR/{request id}.txt</c> once its response is over — the client's request, each request vdm sent upstream (one per
/// attempt: key switch, retry or fallback), the provider's answer as it came, and what the client was sent — with
/// every credential redacted (<see cref="DumpRedaction"/>). Costs nothing unless switched on.
/// </summary>
internal sealed partial class RequestDump
{
    // Enough for the largest Claude Code request; a longer body is cut, saying by how much.
    private const int MaxBodyBytes = 8 * 1024 * 1024;

    private readonly Lock _gate = new();
    private readonly string _directory;
    private readonly RequestContext _request;
    private readonly DumpRedaction _redaction;
    private readonly StringBuilder _text = new();
    private readonly ArrayBufferWriter<byte> _clientBody = new();
    private ArrayBufferWriter<byte>? _upstreamBody;
    private long _clientDropped;
    private long _upstreamDropped;
    private int _attempts;

    private RequestDump(string directory, RequestContext request, DumpRedaction redaction)
    {
        _directory = directory;
        _request = request;
        _redaction = redaction;
    }

    /// <summary>Starts dumping <paramref name="context"/>'s request: its body and headers now, the client's response as it is written, the file when it is over.</summary>
    public static RequestDump Start(HttpContext context, RequestContext request, string directory, ReadOnlySpan<byte> body, DumpRedaction redaction, ILogger logger)
    {
        var dump = new RequestDump(directory, request, redaction);
        var client = context.Request;
        dump.Section("client request", $"{client.Method} {client.Path}{redaction.Query(client.QueryString.Value ?? "")}",
            client.Headers.Select(h => (h.Key, h.Value.ToString())), body, 0);

        // The client's response, seen on its way out: the endpoints write through the feature's writer.
        var feature = context.Features.GetRequiredFeature<IHttpResponseBodyFeature>();
        context.Features.Set<IHttpResponseBodyFeature>(new DumpedResponseBody(feature, dump.ClientBody));
        context.Response.OnCompleted(() => dump.WriteAsync(context, logger));
        request.Dump = dump;
        return dump;
    }

    /// <summary>One request sent upstream (each attempt builds its own).</summary>
    public void UpstreamRequest(HttpRequestMessage message, ReadOnlySpan<byte> body)
    {
        lock (_gate)
        {
            var headers = message.Headers.Concat(message.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
                .Select(h => (h.Key, string.Join(", ", h.Value)));
            Section($"upstream request {++_attempts}", $"{message.Method} {_redaction.Url(message.RequestUri!)}", headers, body, 0);
        }
    }

    /// <summary>The provider's answer's status and headers; its body follows through <see cref="UpstreamBody"/> as it is read.</summary>
    public void UpstreamResponse(HttpResponseMessage response)
    {
        lock (_gate)
        {
            FlushUpstreamBody();
            var headers = response.Headers.Concat(response.Content.Headers).Select(h => (h.Key, string.Join(", ", h.Value)));
            Section("upstream response", $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}", headers, [], 0);
            _upstreamBody = new ArrayBufferWriter<byte>();
        }
    }

    /// <summary>Bytes of the provider's answer, as read.</summary>
    public void UpstreamBody(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            if (_upstreamBody is { } body)
            {
                _upstreamDropped += Append(body, bytes);
            }
        }
    }

    private void ClientBody(ReadOnlySpan<byte> bytes)
    {
        lock (_gate)
        {
            _clientDropped += Append(_clientBody, bytes);
        }
    }

    private async Task WriteAsync(HttpContext context, ILogger logger)
    {
        string text;
        lock (_gate)
        {
            FlushUpstreamBody();
            var response = context.Response;
            var left = context.RequestAborted.IsCancellationRequested ? " (the connection ended early)" : "";
            Section("client response", $"HTTP {response.StatusCode}{left}", response.Headers.Select(h => (h.Key, h.Value.ToString())), _clientBody.WrittenSpan, _clientDropped);
            var target = _request.Provider is null ? "-" : $"{_request.Provider}:{_request.Model}";
            var head = $"# vdm request dump {_request.RequestId}, {_request.StartedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture)}\n" +
                $"# {_request.Method} {_request.Path}  {_request.RequestedModel ?? "-"} -> {target}  {response.StatusCode}  {(long)_request.Elapsed.TotalMilliseconds} ms\n";
            text = _redaction.Scrub(head + _text);
        }

        try
        {
            Directory.CreateDirectory(_directory);

            // Prompts and answers are the user's business: readable by the owner alone, as a .env with keys is.
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            // Written aside, then renamed: whoever watches the directory never reads half a dump.
            var path = Path.Combine(_directory, _request.RequestId + ".txt");
            var file = new StreamWriter(path + ".partial", new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), options);
            await using (file.ConfigureAwait(false))
            {
                await file.WriteAsync(text).ConfigureAwait(false);
            }

            File.Move(path + ".partial", path, overwrite: true);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            LogNotWritten(logger, _request.RequestId, _directory, exception.Message);
        }
    }

    private void FlushUpstreamBody()
    {
        if (_upstreamBody is { } body)
        {
            AppendBody(body.WrittenSpan, _upstreamDropped);
            (_upstreamBody, _upstreamDropped) = (null, 0);
        }
    }

    private void Section(string title, string firstLine, IEnumerable<(string Name, string Value)> headers, ReadOnlySpan<byte> body, long dropped)
    {
        if (body.Length > MaxBodyBytes)
        {
            dropped += body.Length - MaxBodyBytes;
            body = body[..MaxBodyBytes];
        }

        _text.Append("\n### ").Append(title).Append('\n').Append(firstLine).Append('\n');
        foreach (var (name, value) in headers)
        {
            _text.Append(name).Append(": ").Append(_redaction.Header(name, value)).Append('\n');
        }

        AppendBody(body, dropped);
    }

    private void AppendBody(ReadOnlySpan<byte> body, long dropped)
    {
        _text.Append('\n').Append(Encoding.UTF8.GetString(body));
        if (body.Length > 0 && body[^1] != (byte)'\n')
        {
            _text.Append('\n');
        }

        if (dropped > 0)
        {
            _text.Append("[... ").Append(dropped).Append(" more bytes not kept]\n");
        }
    }

    /// <summary>Appends what fits under <see cref="MaxBodyBytes"/>; gives the count of bytes left out.</summary>
    private static int Append(ArrayBufferWriter<byte> body, ReadOnlySpan<byte> bytes)
    {
        var room = Math.Max(0, MaxBodyBytes - body.WrittenCount);
        var kept = Math.Min(room, bytes.Length);
        body.Write(bytes[..kept]);
        return bytes.Length - kept;
    }

    [LoggerMessage(EventId = 60, Level = LogLevel.Warning, Message = "{RequestId}: the request dump could not be written to {Directory}: {Problem}")]
    private static partial void LogNotWritten(ILogger logger, string requestId, string directory, string problem);

    /// <summary>The response's own body feature, but with a writer that shows the dump each byte.</summary>
    private sealed class DumpedResponseBody(IHttpResponseBodyFeature inner, BytesObserver observe) : IHttpResponseBodyFeature
    {
        private readonly ObservedPipeWriter _writer = new(inner.Writer, observe);

        public Stream Stream => inner.Stream;

        public System.IO.Pipelines.PipeWriter Writer => _writer;

        public Task CompleteAsync() => inner.CompleteAsync();

        public void DisableBuffering() => inner.DisableBuffering();

        public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
            inner.SendFileAsync(path, offset, count, cancellationToken);

        public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);
    }
}
