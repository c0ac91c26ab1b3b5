using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Vdm.Gateway.Configuration;

namespace Vdm.Gateway;

/// <summary>
/// The composition root of the server: a slim Kestrel host configured only from <see cref="GatewaySettings"/>
/// (never from ASPNETCORE_* variables or an appsettings.json that happens to sit in the working directory), with
/// the pipeline <c>request tracking → error shaping → client authentication → endpoints</c>.
/// </summary>
internal static class GatewayHost
{
    /// <param name="extraLogs">Where logs go besides stderr; for tests that wait for a log line.</param>
    public static WebApplication Create(GatewaySettings settings, ILoggerProvider? extraLogs = null)
    {
        // vdm's configuration is GatewaySettings alone. The host reads ASPNETCORE_URLS and ASPNETCORE_HTTP_PORTS
        // (set in many container images) when it is created; these arguments outrank them, so no stray address is
        // even considered, and the default sources are then dropped for everything else.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = [$"--{WebHostDefaults.ServerUrlsKey}=", $"--{WebHostDefaults.HttpPortsKey}=", $"--{WebHostDefaults.HttpsPortsKey}="],
        });
        builder.Configuration.Sources.Clear();
        ConfigureLogging(builder.Logging, settings.LogLevel, settings.JsonLogs);
        if (extraLogs is not null)
        {
            builder.Logging.AddProvider(extraLogs);
        }

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = settings.MaxRequestBytes;
            kestrel.Listen(ParseHost(settings.Host), settings.Port);
        });

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(services => new GatewayStateHolder(new GatewayState(settings, services.GetRequiredService<TimeProvider>())));

        // Scoped: a request resolves the current state once and keeps it to its end, even across a reload; the
        // scope releases the lease when the request is over.
        builder.Services.AddScoped(services => new GatewayStateLease(services.GetRequiredService<GatewayStateHolder>().Acquire()));
        builder.Services.AddScoped(services => services.GetRequiredService<GatewayStateLease>().State);
        builder.Services.AddSingleton(services => Middleware.MiddlewareSet.Create(settings, services.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton(services => new GatewayMetrics(
            services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), services.GetRequiredService<TimeProvider>(), settings.MetricsMaxModels));
        builder.Services.AddSingleton(services => new ShutdownGrace(
            services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>(), settings, services.GetRequiredService<TimeProvider>()));
        builder.Services.Configure<Microsoft.Extensions.Hosting.HostOptions>(options => options.ShutdownTimeout = ShutdownGrace.HostTimeout(settings));
        builder.Services.AddSingleton<Endpoints.ModelListCache>();

        var app = builder.Build();

        // Created now, so that a stop requested before the first request still starts the grace.
        app.Services.GetRequiredService<ShutdownGrace>();
        app.UseMiddleware<RequestTrackingMiddleware>();
        app.UseMiddleware<ErrorShapingMiddleware>();
        app.UseMiddleware<Auth.ClientAuthMiddleware>();

        app.MapGet("/", RootEndpoint.HandleAsync);
        app.MapMethods("/health", [HttpMethods.Get, HttpMethods.Head], HealthEndpoint.HandleAsync);
        app.MapPost("/v1/messages", Endpoints.MessagesEndpoint.HandleAsync);
        app.MapPost("/v1/messages/count_tokens", Endpoints.CountTokensEndpoint.HandleAsync);
        app.MapGet("/v1/models", Endpoints.ModelsEndpoint.HandleAsync);
        app.MapGet("/v1/aliases", Endpoints.AliasesEndpoint.HandleAsync);
        app.MapPost("/v1/chat/completions", Endpoints.ChatCompletionsEndpoint.HandleAsync);
        app.MapGet("/metrics", Endpoints.MetricsEndpoints.PrometheusAsync);
        app.MapGet("/metrics/running-totals", Endpoints.MetricsEndpoints.RunningTotalsAsync);
        app.MapGet("/metrics/active-requests", Endpoints.MetricsEndpoints.ActiveRequestsAsync);
        return app;
    }

    /// <summary>The URL the started server actually listens on (with the real port when the configured one is 0).</summary>
    public static Uri ListenUrl(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>();
        return new Uri(addresses.Addresses.First());
    }

    private static IPAddress ParseHost(string host) => host.ToLowerInvariant() switch
    {
        // Port 0 on "localhost" is refused by Kestrel (it would bind two different ports), so take the IPv4 loopback.
        "localhost" => IPAddress.Loopback,
        "::" or "[::]" => IPAddress.IPv6Any,
        _ => IPAddress.Parse(host.Trim('[', ']')),
    };

    private static void ConfigureLogging(ILoggingBuilder logging, LogLevel level, bool json)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(level);

        // ASP.NET's own categories chat at Information ("Now listening on", "Application started"); vdm prints its
        // own banner, so theirs are shown only when debugging.
        logging.AddFilter("Microsoft", level <= LogLevel.Debug ? level : LogLevel.Warning);

        // A failed start (port in use) is reported by `vdm server start` in one line; the host would add a stack trace.
        logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", level <= LogLevel.Debug ? level : LogLevel.None);
        if (json)
        {
            // One object per line, for collectors: UTC timestamps with the date, the message and each of its fields.
            logging.AddJsonConsole(options =>
            {
                options.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                options.UseUtcTimestamp = true;
                options.JsonWriterOptions = new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
            });
        }
        else
        {
            logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.TimestampFormat = "HH:mm:ss ";
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }

        // Every log line goes to stderr: stdout carries command output only.
        logging.Services.Configure<ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
    }
}
