using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Vdm.Conversion.Json;
using Vdm.Conversion.Request;
using Vdm.Conversion.Response;
using Vdm.Conversion.Streaming;

namespace Vdm.Conversion;

/// <summary>
/// The adapter for OpenAI-format providers: Anthropic Messages requests become Chat Completions requests, and the
/// answers, whole or streamed, come back as Anthropic messages and events. The provider's quirks are in
/// <see cref="ConversionContext.Profile"/>; names the upstream could not take are mapped back through
/// <see cref="ConversionContext.ToolNames"/>.
/// </summary>
internal sealed class OpenAIFormatAdapter : IFormatAdapter
{
    public static IFormatAdapter Instance { get; } = new OpenAIFormatAdapter();

    public ApiFormat Format => ApiFormat.OpenAI;

    public string MessagesPath => "chat/completions";

    public ConversionError? WriteRequest(ReadOnlyMemory<byte> clientBody, JsonElement root, ConversionContext context, IBufferWriter<byte> upstreamBody)
    {
        if (context.Hooks?.RewriteRequest is not { } rewrite)
        {
            return AnthropicToOpenAIRequest.Write(root, context, upstreamBody);
        }

        using var converted = new PooledBufferWriter(clientBody.Length + 1024);
        if (AnthropicToOpenAIRequest.Write(root, context, converted) is { } error)
        {
            return error;
        }

        if (!rewrite(converted.WrittenMemory, upstreamBody))
        {
            upstreamBody.Write(converted.WrittenSpan);
        }

        return null;
    }

    public ConversionError? WriteResponse(ReadOnlyMemory<byte> upstreamBody, ConversionContext context, IBufferWriter<byte> clientBody)
    {
        if (context.Hooks?.RewriteUpstream is not { } rewrite)
        {
            return OpenAIToAnthropicResponse.Write(upstreamBody.Span, context, clientBody);
        }

        using var rewritten = new PooledBufferWriter(upstreamBody.Length + 256);
        return rewrite(upstreamBody.Span, rewritten)
            ? OpenAIToAnthropicResponse.Write(rewritten.WrittenSpan, context, clientBody)
            : OpenAIToAnthropicResponse.Write(upstreamBody.Span, context, clientBody);
    }

    public ConversionError? WriteResponseAsStream(ReadOnlyMemory<byte> upstreamBody, ConversionContext context, IBufferWriter<byte> clientStream)
    {
        using var message = new PooledBufferWriter(upstreamBody.Length + 256);
        if (WriteResponse(upstreamBody, context, message) is { } error)
        {
            return error;
        }

        SyntheticStream.Write(message.WrittenMemory, clientStream);
        return null;
    }

    public Task RelayStreamAsync(Stream upstream, PipeWriter client, ConversionContext context, CancellationToken cancellationToken) =>
        OpenAIToAnthropicStream.TranslateAsync(upstream, client, context, cancellationToken);
}
