using Microsoft.AspNetCore.Builder;
using Vdm.Gateway;
using Vdm.Gateway.Configuration;

namespace Vdm.Tests.TestSupport;

/// <summary>A real gateway on 127.0.0.1 and a free port, with an HTTP client pointed at it.</summary>
internal sealed class RunningGateway : IAsyncDisposable
{
    private readonly WebApplication _app;

    private RunningGateway(WebApplication app, Uri url)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = url };
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<RunningGateway> StartAsync(GatewaySettings settings)
    {
        var app = GatewayHost.Create(settings with { Host = "127.0.0.1", Port = 0, LogLevel = Microsoft.Extensions.Logging.LogLevel.Warning });
        await app.StartAsync();
        return new RunningGateway(app, GatewayHost.ListenUrl(app));
    }

    /// <summary>Stops the server the way SIGTERM does: no new connections, then the shutdown grace for the requests in flight.</summary>
    public Task StopAsync() => _app.StopAsync();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
