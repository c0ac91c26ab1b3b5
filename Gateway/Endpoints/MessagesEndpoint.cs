using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vdm.Conversion;
using Vdm.Conversion.Json;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Keys;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// <c>POST /v1/messages</c>, the path Claude Code uses, and the one place that knows the whole pipeline:
/// <code>
/// (1) authenticate the client          ClientAuth
/// (2) read the body, route the model   RequestBody, ModelRouter
/// (3) convert the request              IFormatAdapter (OpenAI conversion or Anthropic passthrough)
/// (4) call the provider                UpstreamCall: key failover, request timeout, client abort
/// (5) answer                           ResponseRelay: JSON, translated stream, or an Anthropic-shaped error
/// </code>
/// Nothing reaches the client before the provider's response headers, so an upstream failure is still a real HTTP
/// status; after that, a failure ends the stream with an <c>error</c> event.
/// </summary>
internal static partial class MessagesEndpoint
{
    public static async Task HandleAsync(HttpContext context)
    {
        // :: Step 1 was ClientAuthMiddleware's: the client may use the gateway, and may have brought its own key.
        // :: Step 2: the body, and where it goes.
        var routed = await RoutedRequest.ReadAsync(context).ConfigureAwait(false);
        if (routed is null)
        {
            return;
        }

        if (MessagesRequestValidation.Problem(routed.Body.Root, maxTokensRequired: true) is { } problem)
        {
            routed.Dispose();
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, problem).ConfigureAwait(false);
            return;
        }

        using (routed)
        {
            if (!await routed.HasUpstreamKeyAsync().ConfigureAwait(false))
            {
                return;
            }

            var (body, route, provider, requestedModel) = (routed.Body, routed.Route, routed.Provider, routed.RequestedModel);
            var settings = routed.Settings;

            // :: Step 3: the upstream body.
            var adapter = FormatAdapters.For(provider.Format);
            var conversion = new ConversionContext(requestedModel, route.Model, provider.Name, provider.MaxTokensLimit, settings.MinTokensLimit)
            {
                // An Azure deployment is known by its api-version, whatever the provider is called.
                Profile = Conversion.Request.ProviderProfile.For(provider.ApiVersion is null ? provider.Name : "azure", route.Model),
            };
            using var upstreamBody = new PooledBufferWriter(body.Memory.Length + 1024);
            if (adapter.WriteRequest(body.Memory, body.Root, conversion, upstreamBody) is { } conversionError)
            {
                await ErrorResponses.WriteAsync(context, conversionError.Status ?? StatusCodes.Status400BadRequest, conversionError.Type,
                    conversionError.Message).ConfigureAwait(false);
                return;
            }

            LogNotes(context.RequestServices.GetRequiredService<ILogger<GatewayState>>(), conversion);

            // :: Step 4: the provider's answer, as far as its headers.
            var session = ClaudeCodeSession.Id(context.Request.Headers[ClaudeCodeSession.HeaderName].ToString(), body.MetadataUserId);
            var result = await routed.SendAsync(adapter.MessagesPath, upstreamBody.WrittenMemory, body.Stream, session).ConfigureAwait(false);

            // :: Step 5: the answer, in the client's format.
            await ResponseRelay.WriteAsync(context, result, adapter, conversion, body.Stream).ConfigureAwait(false);
        }
    }

    private static void LogNotes(ILogger logger, ConversionContext conversion)
    {
        if (conversion.Notes.Count > 0 && logger.IsEnabled(LogLevel.Debug))
        {
            foreach (var note in conversion.Notes)
            {
                LogNote(logger, conversion.Provider, note);
            }
        }
    }

    [LoggerMessage(EventId = 10, Level = LogLevel.Debug, Message = "Conversion for {Provider}: {Note}")]
    private static partial void LogNote(ILogger logger, string provider, string note);
}
