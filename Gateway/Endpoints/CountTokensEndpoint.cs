using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Vdm.Conversion;
using Vdm.Conversion.Json;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Keys;
using Vdm.Gateway.Upstream;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// <c>POST /v1/messages/count_tokens</c>, which Claude Code calls to size its context. The same body as
/// <c>/v1/messages</c>, routed the same way: an Anthropic-format provider gets it at
/// <c>{BASE_URL}/v1/messages/count_tokens</c> with the messages call's credentials and headers and only the model
/// replaced, and its answer is relayed; for an OpenAI-format provider, which has no such endpoint, vdm answers
/// <c>{"input_tokens":N}</c> itself with <see cref="TokenEstimator"/>, without calling it.
/// </summary>
internal static class CountTokensEndpoint
{
    public const string UpstreamPath = "v1/messages/count_tokens";

    public static async Task HandleAsync(HttpContext context)
    {
        var routed = await RoutedRequest.ReadAsync(context, static root => MessagesRequestValidation.Problem(root, maxTokensRequired: false)).ConfigureAwait(false);
        if (routed is null)
        {
            return;
        }

        using (routed)
        {
            var (body, route, provider, requestedModel) = (routed.Body, routed.Route, routed.Provider, routed.RequestedModel);
            if (provider.Format != ApiFormat.Anthropic)
            {
                await WriteEstimateAsync(context, body.Memory).ConfigureAwait(false);
                return;
            }

            if (!await routed.HasUpstreamKeyAsync().ConfigureAwait(false))
            {
                return;
            }

            var settings = routed.Settings;
            var adapter = FormatAdapters.For(provider.Format);
            var conversion = new ConversionContext(requestedModel, route.Model, provider.Name, provider.MaxTokensLimit, settings.MinTokensLimit);
            var upstreamBody = new PooledBufferWriter(body.Memory.Length + 256);
            if (adapter.WriteRequest(body.Memory, body.Root, conversion, upstreamBody) is { } conversionError)
            {
                upstreamBody.Dispose();
                await ErrorResponses.WriteAsync(context, conversionError.Status ?? StatusCodes.Status400BadRequest, conversionError.Type,
                    conversionError.Message).ConfigureAwait(false);
                return;
            }

            UpstreamResult? result = null;
            try
            {
                var session = ClaudeCodeSession.Id(context.Request.Headers[ClaudeCodeSession.HeaderName].ToString(), body.MetadataUserId);
                result = await routed.SendAsync(provider, route.Model, UpstreamPath, upstreamBody.WrittenMemory, stream: false, session).ConfigureAwait(false);

                // The passthrough adapter relays a JSON answer untouched, and errors the way /v1/messages does.
                await ResponseRelay.WriteAsync(context, result, adapter, conversion, stream: false).ConfigureAwait(false);
            }
            finally
            {
                UpstreamResult.ReleaseBody(result, upstreamBody);
            }
        }
    }

    private static async Task WriteEstimateAsync(HttpContext context, ReadOnlyMemory<byte> body)
    {
        int tokens;
        try
        {
            tokens = TokenEstimator.Estimate(body);
        }
        catch (JsonException exception)
        {
            await ErrorResponses.WriteAsync(context, StatusCodes.Status400BadRequest, $"The request body is not valid JSON: {exception.Message}")
                .ConfigureAwait(false);
            return;
        }

        await context.Response.WriteAsJsonAsync(new CountTokensResponse(tokens), GatewayJsonContext.Default.CountTokensResponse,
            cancellationToken: context.RequestAborted).ConfigureAwait(false);
    }
}

/// <summary>The <c>count_tokens</c> answer, as Anthropic gives it.</summary>
internal sealed record CountTokensResponse(int InputTokens);
