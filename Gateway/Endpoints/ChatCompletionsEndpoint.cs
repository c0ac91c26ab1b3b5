using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Vdm.Conversion;
using Vdm.Conversion.Json;
using Vdm.Gateway.Auth;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Keys;
using Vdm.Gateway.Upstream;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// <c>POST /v1/chat/completions</c>, for OpenAI-format clients, the same pipeline as <see cref="MessagesEndpoint"/>
/// without a conversion: the model is routed the same way (prefix, default provider, aliases), the body goes to an
/// OpenAI-format provider unchanged but for <c>model</c> and a clamped <c>max_tokens</c>
/// (<see cref="ChatCompletionsRequest"/>), and the answer comes back as the provider sent it
/// (<see cref="ChatCompletionsRelay"/>). Every error is OpenAI-shaped (<see cref="OpenAIErrorResponses"/>).
/// Anthropic-format providers are refused for now: that needs the reverse conversion.
/// </summary>
internal static class ChatCompletionsEndpoint
{
    public const string Path = "chat/completions";

    public static async Task HandleAsync(HttpContext context)
    {
        var gateway = context.RequestServices.GetRequiredService<GatewayState>();
        var settings = gateway.Settings;
        var aborted = context.RequestAborted;

        // :: Step 1 (done by ClientAuthMiddleware): the client may use the gateway, and may have brought its own key.
        var auth = ClientAuthMiddleware.Of(context);

        // :: Step 2: the body, and where it goes.
        var (body, problem) = await RequestBody.ReadAsync(context.Request.BodyReader, aborted).ConfigureAwait(false);
        if (body is null)
        {
            await OpenAIErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, problem!).ConfigureAwait(false);
            return;
        }

        using (body)
        {
            if (body.Model is not { Length: > 0 } requestedModel)
            {
                await OpenAIErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, "model: is required").ConfigureAwait(false);
                return;
            }

            if (!gateway.Router.TryResolve(requestedModel, out var route, out var routeError))
            {
                await OpenAIErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, routeError.Message).ConfigureAwait(false);
                return;
            }

            var provider = route.Provider;
            if (RequestContext.Of(context) is { } tracked)
            {
                tracked.Provider = provider.Name;
                tracked.Model = route.Model;
                tracked.RequestedModel = requestedModel;
            }

            if (provider.Format == ApiFormat.Anthropic)
            {
                await OpenAIErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest,
                    $"Model '{requestedModel}' routes to provider '{provider.Name}', which speaks the Anthropic Messages API; OpenAI-format " +
                    "requests (/v1/chat/completions) to Anthropic-format providers come in a later version of vdm. Use /v1/messages for " +
                    "this provider, or route the model to an OpenAI-format provider.", "unsupported_provider_format").ConfigureAwait(false);
                return;
            }

            if (provider.Auth == ProviderAuth.Passthrough && auth.UpstreamKey is null)
            {
                await OpenAIErrorResponses.WriteAsync(context, StatusCodes.Status401Unauthorized,
                    ClientAuth.MissingPassthroughKey(provider.Name, settings.ProxyApiKey is not null)).ConfigureAwait(false);
                return;
            }

            // :: Step 3: the upstream body, the client's own but for the model and the token limit.
            using var upstreamBody = new PooledBufferWriter(body.Memory.Length + 64);
            if (ChatCompletionsRequest.Write(body.Memory.Span, route.Model, provider.MaxTokensLimit, upstreamBody, out var user) is { } invalid)
            {
                await OpenAIErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, invalid).ConfigureAwait(false);
                return;
            }

            // :: Step 4: the provider's answer, as far as its headers.
            var session = ClaudeCodeSession.Id(context.Request.Headers[ClaudeCodeSession.HeaderName].ToString(), null) ?? user;
            var result = await UpstreamCall.SendAsync(
                gateway.Clients.For(provider.Name),
                provider,
                gateway.KeyRing(provider.Name),
                session,
                auth.UpstreamKey,
                key => UpstreamRequest.Create(provider, Path, route.Model, upstreamBody.WrittenMemory, body.Stream, key,
                    auth.UpstreamKeyScheme, context.Request.Headers),
                settings.RequestTimeout,
                aborted).ConfigureAwait(false);

            // :: Step 5: the answer, as the provider gave it.
            await ChatCompletionsRelay.WriteAsync(context, result, provider.Name).ConfigureAwait(false);
        }
    }
}
