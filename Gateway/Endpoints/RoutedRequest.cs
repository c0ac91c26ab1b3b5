using System.Collections.Immutable;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vdm.Gateway.Auth;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Dumps;
using Vdm.Gateway.Routing;
using Vdm.Gateway.Upstream;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// Steps 2 and 4 of every proxy endpoint. Step 2: the body, parsed once; its model, required; the route the model
/// takes, recorded on the request for logs and metrics; for a <c>!PASSTHRU</c> provider, the client's own key.
/// Errors are answered here, in the endpoint's own shape. Step 4: the endpoint's upstream body sent to a target of
/// the route, with retries, within one deadline for all of the route's targets; and whether a failure should fall
/// back to the next target of a fallback alias.
/// </summary>
internal sealed partial class RoutedRequest : IDisposable
{
    private readonly HttpContext _context;
    private readonly GatewayState _gateway;

    /// <summary>Step 1's outcome (<see cref="ClientAuthMiddleware"/>): the client may use the gateway, and may have brought its own key.</summary>
    private readonly ClientAuthResult _auth;

    private readonly UpstreamLimits _limits;
    private readonly ILogger _logger;

    private RoutedRequest(HttpContext context, GatewayState gateway, RequestBody body, Route route, string requestedModel)
    {
        _context = context;
        _gateway = gateway;
        _auth = ClientAuthMiddleware.Of(context);
        _limits = new UpstreamLimits(gateway.Time, gateway.Time.GetTimestamp(), gateway.Settings.RequestTimeout, gateway.Settings.ConnectTimeout, gateway.Retries)
        {
            Shutdown = context.RequestServices.GetRequiredService<ShutdownGrace>().Over,
        };
        _logger = context.RequestServices.GetRequiredService<ILogger<RoutedRequest>>();
        Body = body;
        Route = route;
        RequestedModel = requestedModel;
    }

    public RequestBody Body { get; }

    public Route Route { get; }

    public ProviderSettings Provider => Route.Provider;

    /// <summary>The gateway's settings this request runs under.</summary>
    public GatewaySettings Settings => _gateway.Settings;

    /// <summary>The model name as the client wrote it (an alias, or <c>provider:model</c>).</summary>
    public string RequestedModel { get; }

    /// <summary>The routed request, or null when the client has been answered with an error.</summary>
    /// <param name="validate">The endpoint's check of the body's fields: null, or the problem, naming the field.</param>
    public static async Task<RoutedRequest?> ReadAsync(HttpContext context, Func<System.Text.Json.JsonElement, string?> validate)
    {
        var gateway = context.RequestServices.GetRequiredService<GatewayState>();
        var (body, problem) = await RequestBody.ReadAsync(
            context.Request.BodyReader,
            // A declared length is only a claim until the bytes arrive (Kestrel refuses one over the limit only when it
            // is read): trusted up to 1 MiB, beyond which the buffer grows as the body really comes.
            context.Request.ContentLength is { } length ? Math.Min(length, 1024 * 1024) : null,
            context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, problem!).ConfigureAwait(false);
            return null;
        }

        if (RequestContext.Of(context) is { } request)
        {
            request.Stream = body.Stream;
            request.Usage.RequestBytes = body.Memory.Length;
            if (gateway.Settings.DumpDirectory is { } dumps)
            {
                RequestDump.Start(context, request, dumps, body.Memory.Span, Redaction(gateway.Settings, context),
                    context.RequestServices.GetRequiredService<ILogger<RequestDump>>());
            }
        }

        // Before routing: a malformed body is the client's to fix, whatever the model routes to.
        if (validate(body.Root) is { } invalid)
        {
            body.Dispose();
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, invalid).ConfigureAwait(false);
            return null;
        }

        if (body.Model is not { Length: > 0 } requestedModel)
        {
            body.Dispose();
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "model: is required").ConfigureAwait(false);
            return null;
        }

        if (!gateway.Router.TryResolve(requestedModel, out var route, out var routeError))
        {
            body.Dispose();
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, routeError.Message).ConfigureAwait(false);
            return null;
        }

        if (RequestContext.Of(context) is { } tracked)
        {
            tracked.Provider = route.Provider.Name;
            tracked.Model = route.Model;
            tracked.RequestedModel = requestedModel;
        }

        return new RoutedRequest(context, gateway, body, route, requestedModel);
    }

    /// <summary>For a <c>!PASSTHRU</c> provider, the client must have brought its own key; false once answered with a 401.</summary>
    public async Task<bool> HasUpstreamKeyAsync()
    {
        if (Provider.Auth != ProviderAuth.Passthrough || _auth.UpstreamKey is not null)
        {
            return true;
        }

        await ErrorResponses.WriteAsync(_context, StatusCodes.Status401Unauthorized,
            ClientAuth.MissingPassthroughKey(Provider.Name, _gateway.Settings.ProxyApiKey is not null)).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// The targets this request may go to, in order: the route's own first (always, so that its errors are answered),
    /// then the other targets of a fallback alias that <paramref name="accepts"/> and, for <c>!PASSTHRU</c> providers,
    /// that the client brought a key for.
    /// </summary>
    public ImmutableArray<(ProviderSettings Provider, string Model)> Targets(Func<ProviderSettings, bool>? accepts = null)
    {
        if (Route.Fallbacks.IsEmpty)
        {
            return [(Route.Provider, Route.Model)];
        }

        var targets = ImmutableArray.CreateBuilder<(ProviderSettings, string)>(Route.Fallbacks.Length);
        targets.Add((Route.Provider, Route.Model));
        foreach (var (provider, model) in Route.Fallbacks.AsSpan()[1..])
        {
            if ((provider.Auth != ProviderAuth.Passthrough || _auth.UpstreamKey is not null) && (accepts is null || accepts(provider)))
            {
                targets.Add((provider, model));
            }
        }

        return targets.DrainToImmutable();
    }

    /// <summary>
    /// Step 4: <paramref name="upstreamBody"/> to <paramref name="provider"/> at <paramref name="path"/>, with its keys
    /// (the session's first, see <see cref="UpstreamCall"/>) or the client's own, retried as the settings allow, within
    /// what is left of the request's deadline, cancelled when the client leaves. The target is recorded as where the
    /// request went.
    /// </summary>
    public Task<UpstreamResult> SendAsync(ProviderSettings provider, string model, string path, ReadOnlyMemory<byte> upstreamBody, bool stream, string? sessionId)
    {
        if (RequestContext.Of(_context) is { } tracked)
        {
            tracked.Provider = provider.Name;
            tracked.Model = model;
        }

        var (auth, headers, dump) = (_auth, _context.Request.Headers, RequestContext.Of(_context)?.Dump);
        var call = new UpstreamCall(
            _gateway.Clients.For(provider.Name),
            provider,
            _gateway.KeyRing(provider.Name),
            sessionId,
            auth.UpstreamKey,
            key =>
            {
                var message = UpstreamRequest.Create(provider, path, model, upstreamBody, stream, key, auth.UpstreamKeyScheme, headers);
                dump?.UpstreamRequest(message, upstreamBody.Span);
                return message;
            })
        {
            Logger = _logger,
            ProxyFor = _gateway.Clients.ProxyFor,
        };
        var sending = call.SendAsync(_limits, _context.RequestAborted);
        return dump is null ? sending : DumpedAsync(sending, dump);
    }

    private static async Task<UpstreamResult> DumpedAsync(Task<UpstreamResult> sending, RequestDump dump)
    {
        var result = await sending.ConfigureAwait(false);
        if (result.Response is { } response)
        {
            dump.UpstreamResponse(response);
        }

        return result;
    }

    /// <summary>
    /// Every secret this request could reveal: the providers' keys and configured header values (a custom header is
    /// often a credential by another name), the gateway's own key, and the client's.
    /// </summary>
    private static DumpRedaction Redaction(GatewaySettings settings, HttpContext context) =>
        new(settings.Providers.SelectMany(provider => provider.Keys.Concat(provider.Headers.Select(header => header.Value)))
            .Append(settings.ProxyApiKey).Append(ClientAuthMiddleware.Of(context).UpstreamKey));

    /// <summary>
    /// Whether <paramref name="result"/>, the answer of target <paramref name="index"/> of <paramref name="targets"/>,
    /// should give way to the next target: it failed in a way another provider may not (see
    /// <see cref="UpstreamResult.CanFallBack"/>), a next target exists, and the deadline has not passed.
    /// </summary>
    public bool ShouldFallBack(UpstreamResult result, int index, ImmutableArray<(ProviderSettings Provider, string Model)> targets)
    {
        if (!result.CanFallBack || index + 1 >= targets.Length || _limits.Remaining <= TimeSpan.Zero)
        {
            return false;
        }

        if (_logger.IsEnabled(LogLevel.Warning))
        {
            var failure = result.Response is { } response ? $"HTTP {(int)response.StatusCode}" : result.FailureMessage!;
            var (from, to) = (targets[index], targets[index + 1]);
            LogFallback(_logger, RequestedModel, $"{from.Provider.Name}:{from.Model}", failure, $"{to.Provider.Name}:{to.Model}");
        }

        return true;
    }

    /// <summary>Logs that a fallback target is skipped because the client's body cannot be converted for it.</summary>
    public void SkipFallback(ProviderSettings provider, string model, string problem)
    {
        if (_logger.IsEnabled(LogLevel.Warning))
        {
            LogSkipped(_logger, RequestedModel, $"{provider.Name}:{model}", problem);
        }
    }

    public void Dispose() => Body.Dispose();

    [LoggerMessage(EventId = 31, Level = LogLevel.Warning, Message = "{RequestedModel}: {From} failed ({Failure}); falling back to {To}")]
    private static partial void LogFallback(ILogger logger, string requestedModel, string from, string failure, string to);

    [LoggerMessage(EventId = 32, Level = LogLevel.Warning, Message = "{RequestedModel}: fallback {Target} skipped: {Problem}")]
    private static partial void LogSkipped(ILogger logger, string requestedModel, string target, string problem);
}
