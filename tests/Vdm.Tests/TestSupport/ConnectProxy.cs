using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Vdm.Tests.TestSupport;

/// <summary>What a client sent the proxy before any tunnel: <c>CONNECT upstream.test:443 HTTP/1.1</c> and its headers.</summary>
internal sealed record ProxyRequest(string RequestLine, IReadOnlyDictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;
}

/// <summary>
/// A CONNECT-only HTTP proxy on 127.0.0.1 that records each request and joins every tunnel to one local port, whatever
/// host it names: provider URLs can use names such as upstream.test that no DNS knows, as behind a corporate proxy.
/// With <see cref="RequiredAuthorization"/> set it answers 407 until a request carries that Proxy-Authorization.
/// </summary>
internal sealed class ConnectProxy : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly int _targetPort;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly ConcurrentBag<IDisposable> _sockets = [];
    private readonly Task _accepting;

    private ConnectProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>The proxy URL to configure, such as <c>http://127.0.0.1:41234</c>.</summary>
    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    public ConcurrentQueue<ProxyRequest> Requests { get; } = new();

    /// <summary>The Proxy-Authorization value a CONNECT needs, or null for an open proxy.</summary>
    public string? RequiredAuthorization { get; init; }

    /// <summary>A proxy whose tunnels all lead to 127.0.0.1:<paramref name="targetPort"/>.</summary>
    public static ConnectProxy Start(int targetPort, string? requiredAuthorization = null) =>
        new(targetPort) { RequiredAuthorization = requiredAuthorization };

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        foreach (var socket in _sockets)
        {
            socket.Dispose();
        }

        await Task.WhenAll([_accepting, .. _connections.Keys]).ContinueWith(static _ => { }, TaskScheduler.Default);
        _stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            var client = await _listener.AcceptTcpClientAsync(_stop.Token);
            _sockets.Add(client);
            var connection = ServeAsync(client);
            _connections.TryAdd(connection, true);
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        var stream = client.GetStream();
        while (await ReadHeadAsync(stream) is { } request)
        {
            Requests.Enqueue(request);
            if (!request.RequestLine.StartsWith("CONNECT ", StringComparison.Ordinal))
            {
                await WriteAsync(stream, "HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
                return;
            }

            if (RequiredAuthorization is not null && request.Header("proxy-authorization") != RequiredAuthorization)
            {
                await WriteAsync(stream, "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"vdm-test\"\r\nContent-Length: 0\r\n\r\n");
                continue;
            }

            var target = new TcpClient();
            _sockets.Add(target);
            await target.ConnectAsync(IPAddress.Loopback, _targetPort, _stop.Token);
            await WriteAsync(stream, "HTTP/1.1 200 Connection established\r\n\r\n");
            var tunnel = target.GetStream();

            // Either side closing ends the tunnel; closing both ends the other copy too.
            await Task.WhenAny(stream.CopyToAsync(tunnel, _stop.Token), tunnel.CopyToAsync(stream, _stop.Token));
            target.Dispose();
            client.Dispose();
            return;
        }

        client.Dispose();
    }

    /// <summary>The request line and headers, up to the blank line; null when the client closed first.</summary>
    private async Task<ProxyRequest?> ReadHeadAsync(NetworkStream stream)
    {
        var head = new List<byte>();
        var one = new byte[1];

        // One byte at a time: nothing after the blank line may be consumed, it belongs to the tunnel.
        while (head.Count < 4 || !(head[^4] == '\r' && head[^3] == '\n' && head[^2] == '\r' && head[^1] == '\n'))
        {
            if (head.Count > 16 * 1024 || await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }

            head.Add(one[0]);
        }

        var lines = Encoding.ASCII.GetString([.. head]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var headers = lines.Skip(1)
            .Select(line => line.Split(':', 2))
            .ToDictionary(parts => parts[0].Trim().ToLowerInvariant(), parts => parts.Length > 1 ? parts[1].Trim() : "", StringComparer.Ordinal);
        return new ProxyRequest(lines[0], headers);
    }

    private Task WriteAsync(NetworkStream stream, string text) => stream.WriteAsync(Encoding.ASCII.GetBytes(text), _stop.Token).AsTask();
}
