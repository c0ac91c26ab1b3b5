using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Vdm.Tests.TestSupport;

/// <summary>
/// A provider on loopback that speaks HTTPS only, with the certificate the test gives it, answering every request with
/// one JSON body and recording what it received.
/// </summary>
internal sealed class TlsUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private TlsUpstream(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public ConcurrentQueue<ReceivedRequest> Received { get; } = new();

    public string Answer { get; set; } = "{}";

    public static async Task<TlsUpstream> StartAsync(X509Certificate2 certificate)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.UseHttps(certificate)));
        var app = builder.Build();
        TlsUpstream? self = null;
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            self!.Received.Enqueue(new ReceivedRequest(context.Request.Method, context.Request.Path, context.Request.QueryString.Value ?? "", headers, body.ToArray()));
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(self.Answer);
        });
        await app.StartAsync();
        self = new TlsUpstream(app, Vdm.Gateway.GatewayHost.ListenUrl(app).Port);
        return self;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
