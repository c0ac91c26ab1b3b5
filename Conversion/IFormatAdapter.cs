using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Vdm.Conversion;

/// <summary>
/// Step 3 of the request path (client → auth → route → <b>adapter</b> → upstream → translator → client): turns a
/// client's Anthropic Messages request into what one upstream format expects, and the upstream's answer back.
/// There is one implementation per <see cref="ApiFormat"/>; the gateway picks it by the provider's format and knows
/// nothing of either format's details. Implementations take bytes and give bytes (no ASP.NET, no HTTP client), so
/// they are tested and benchmarked on their own.
/// </summary>
internal interface IFormatAdapter
{
    ApiFormat Format { get; }

    /// <summary>The upstream endpoint for Messages requests, relative to the provider's base URL.</summary>
    string MessagesPath { get; }

    /// <summary>Writes the upstream request body for the client's Messages request body.</summary>
    /// <param name="clientBody">The body as received.</param>
    /// <param name="root">The same body, already parsed (the gateway parses each body once, to route it).</param>
    /// <returns>Null when written; otherwise why the client's request cannot be sent (nothing usable was written).</returns>
    ConversionError? WriteRequest(ReadOnlyMemory<byte> clientBody, JsonElement root, ConversionContext context, IBufferWriter<byte> upstreamBody);

    /// <summary>Parses <paramref name="clientBody"/>, then writes it as <see cref="WriteRequest(ReadOnlyMemory{byte}, JsonElement, ConversionContext, IBufferWriter{byte})"/>.</summary>
    ConversionError? WriteRequest(ReadOnlyMemory<byte> clientBody, ConversionContext context, IBufferWriter<byte> upstreamBody)
    {
        try
        {
            using var document = JsonDocument.Parse(clientBody, new JsonDocumentOptions { MaxDepth = 512 });
            return WriteRequest(clientBody, document.RootElement, context, upstreamBody);
        }
        catch (JsonException exception)
        {
            return ConversionError.InvalidRequest($"The request body is not valid JSON: {exception.Message}");
        }
    }

    /// <summary>Writes the client's Messages response for a complete (non-streaming) upstream response body.</summary>
    ConversionError? WriteResponse(ReadOnlyMemory<byte> upstreamBody, ConversionContext context, IBufferWriter<byte> clientBody);

    /// <summary>
    /// Writes a complete upstream response body as the client's event stream, for an upstream that answered a
    /// streaming request with plain JSON: the client gets the same events a real stream would have produced.
    /// </summary>
    ConversionError? WriteResponseAsStream(ReadOnlyMemory<byte> upstreamBody, ConversionContext context, IBufferWriter<byte> clientStream);

    /// <summary>
    /// Relays the upstream's event stream to the client as Anthropic server-sent events, flushing each one as soon as
    /// it is complete. Upstream read failures propagate, so the gateway can end the stream with an <c>error</c> event.
    /// </summary>
    Task RelayStreamAsync(Stream upstream, PipeWriter client, ConversionContext context, CancellationToken cancellationToken);
}
