using Microsoft.AspNetCore.Http;
using Vdm.Conversion;
using Vdm.Conversion.Json;
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
        // :: Step 1 was ClientAuthMiddleware's: the client may use the gateway, and may have brought its own key.
        // :: Step 2: the body, and where it goes (errors come out in OpenAI's shape on this path).
        RequestContext.Of(context)?.AnswerFormat = ApiFormat.OpenAI;
        var routed = await RoutedRequest.ReadAsync(context, ChatCompletionsRequestValidation.Problem).ConfigureAwait(false);
        if (routed is null)
        {
            return;
        }

        using (routed)
        {
            var (body, route, provider, requestedModel) = (routed.Body, routed.Route, routed.Provider, routed.RequestedModel);
            if (provider.Format == ApiFormat.Anthropic)
            {
                await OpenAIErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest,
                    $"Model '{requestedModel}' routes to provider '{provider.Name}', which speaks the Anthropic Messages API; OpenAI-format " +
                    "requests (/v1/chat/completions) to Anthropic-format providers come in a later version of vdm. Use /v1/messages for " +
                    "this provider, or route the model to an OpenAI-format provider.", "unsupported_provider_format").ConfigureAwait(false);
                return;
            }

            if (!await routed.HasUpstreamKeyAsync().ConfigureAwait(false))
            {
                return;
            }

            // :: Steps 3 and 4 for each OpenAI-format target of the route, while the last failed in a way the next may not.
            // Step 3 is the client's own body but for the model and the token limit.
            var targets = routed.Targets(target => target.Format == ApiFormat.OpenAI);
            PooledBufferWriter? upstreamBody = null;
            UpstreamResult? result = null;
            try
            {
                for (var index = 0; index < targets.Length; index++)
                {
                    var (target, model) = targets[index];

                    // Each target gets its own body: the last one's may still be read by an HTTP/2 send (see Release).
                    Release(result, upstreamBody);
                    result = null;
                    upstreamBody = new PooledBufferWriter(body.Memory.Length + 64);
                    if (ChatCompletionsRequest.Write(body.Memory.Span, model, target.MaxTokensLimit, upstreamBody, out var user) is { } invalid)
                    {
                        await OpenAIErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, invalid).ConfigureAwait(false);
                        return;
                    }

                    var session = ClaudeCodeSession.Id(context.Request.Headers[ClaudeCodeSession.HeaderName].ToString(), null) ?? user;
                    result = await routed.SendAsync(target, model, Path, upstreamBody.WrittenMemory, body.Stream, session).ConfigureAwait(false);
                    if (!routed.ShouldFallBack(result, index, targets))
                    {
                        break;
                    }
                }

                // Both bodies are done with once sent: a stream may run for minutes, and thousands may be open at once.
                if (result!.BodySent)
                {
                    upstreamBody!.Dispose();
                    body.Dispose();
                }

                // :: Step 5: the answer, as the provider gave it.
                await ChatCompletionsRelay.WriteAsync(context, result, RequestContext.Of(context)?.Provider ?? provider.Name).ConfigureAwait(false);
            }
            finally
            {
                Release(result, upstreamBody);
            }
        }
    }

    /// <summary>Closes an answer, and returns its request body to the pool only when no send can still be reading it.</summary>
    private static void Release(UpstreamResult? result, PooledBufferWriter? upstreamBody)
    {
        result?.Response?.Dispose();
        if (upstreamBody is not null)
        {
            UpstreamResult.ReleaseBody(result, upstreamBody);
        }
    }
}
