using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Vdm.Conversion;
using Vdm.Conversion.Json;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Keys;
using Vdm.Gateway.Middleware;
using Vdm.Gateway.Upstream;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// <c>POST /v1/messages</c>, the path Claude Code uses, and the one place that knows the whole pipeline:
/// <code>
/// (1) authenticate the client          ClientAuth
/// (2) read the body, route the model   RequestBody, ModelRouter
/// (3) convert the request              IFormatAdapter (OpenAI conversion or Anthropic passthrough)
/// (4) call the provider                UpstreamCall: key failover, retries, deadline, client abort; then the next
///                                      target of a fallback alias, while the last failed in a way it may not
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
        RequestContext.Of(context)?.AnswerFormat = ApiFormat.Anthropic;
        var routed = await RoutedRequest.ReadAsync(context, static root => MessagesRequestValidation.Problem(root, maxTokensRequired: true)).ConfigureAwait(false);
        if (routed is null)
        {
            return;
        }

        using (routed)
        {
            if (!await routed.HasUpstreamKeyAsync().ConfigureAwait(false))
            {
                return;
            }

            var body = routed.Body;
            var session = ClaudeCodeSession.Id(context.Request.Headers[ClaudeCodeSession.HeaderName].ToString(), body.MetadataUserId);
            var logger = context.RequestServices.GetRequiredService<ILogger<GatewayState>>();
            var targets = routed.Targets();
            var middlewares = context.RequestServices.GetRequiredService<MiddlewareSet>();
            var requestId = RequestContext.Of(context)?.RequestId ?? "";
            Attempt? answer = null;
            try
            {
                // Steps 3 and 4 for each target of the route in turn, while the last one failed in a way the next may not.
                for (var index = 0; index < targets.Length; index++)
                {
                    var (provider, model) = targets[index];

                    // :: Step 3: the upstream body, for this target's format and capabilities.
                    var adapter = FormatAdapters.For(provider.Format);
                    var pipeline = middlewares.For(provider, new MiddlewareRequest(requestId, provider.Name, model, routed.RequestedModel, body.Stream));
                    var conversion = new ConversionContext(routed.RequestedModel, model, provider.Name, provider.MaxTokensLimit, routed.Settings.MinTokensLimit)
                    {
                        // An Azure deployment is known by its api-version, whatever the provider is called.
                        Profile = Conversion.Request.ProviderProfile.For(provider.ApiVersion is null ? provider.Name : "azure", model),
                        Hooks = pipeline?.Hooks,
                    };
                    var upstreamBody = new PooledBufferWriter(body.Memory.Length + 1024);
                    if (adapter.WriteRequest(body.Memory, body.Root, conversion, upstreamBody) is { } conversionError)
                    {
                        upstreamBody.Dispose();
                        if (answer is not null)
                        {
                            // The previous target's failure stands: the client asked for nothing wrong.
                            routed.SkipFallback(provider, model, conversionError.Message);
                            break;
                        }

                        await ErrorResponses.WriteAsync(context, conversionError.Status ?? StatusCodes.Status400BadRequest, conversionError.Type,
                            conversionError.Message).ConfigureAwait(false);
                        return;
                    }

                    LogNotes(logger, conversion);

                    // :: Step 4: the provider's answer, as far as its headers.
                    var result = await routed.SendAsync(provider, model, adapter.MessagesPath, upstreamBody.WrittenMemory, body.Stream, session)
                        .ConfigureAwait(false);
                    answer?.Dispose();
                    answer = new Attempt(result, adapter, conversion, upstreamBody, pipeline);
                    if (!routed.ShouldFallBack(result, index, targets))
                    {
                        break;
                    }
                }

                // Both bodies are done with once sent: a stream may run for minutes, and thousands may be open at once.
                if (answer!.Result.BodySent)
                {
                    answer.Body.Dispose();
                    body.Dispose();
                }

                // :: Step 5: the answer, in the client's format.
                await ResponseRelay.WriteAsync(context, answer.Result, answer.Adapter, answer.Conversion, body.Stream).ConfigureAwait(false);
            }
            finally
            {
                answer?.Pipeline?.Completed(new MiddlewareOutcome(context.Response.StatusCode, RequestContext.Of(context)?.Usage.ErrorType));
                answer?.Dispose();
            }
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

    /// <summary>A target's request and its answer; the body stays alive until the answer has been relayed.</summary>
    private sealed record Attempt(UpstreamResult Result, IFormatAdapter Adapter, ConversionContext Conversion, PooledBufferWriter Body, MiddlewarePipeline? Pipeline)
        : IDisposable
    {
        public void Dispose()
        {
            Result.Response?.Dispose();
            UpstreamResult.ReleaseBody(Result, Body);
        }
    }
}
