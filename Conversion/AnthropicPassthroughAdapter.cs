using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;

namespace Vdm.Conversion;

/// <summary>
/// The adapter for Anthropic-format providers: a true passthrough. The request body goes upstream byte for byte
/// except the <c>model</c> value (and, the one other change, thinking blocks vdm made on an OpenAI-format route,
/// which have no signature: <see cref="UnsignedThinking"/>), and the response and its stream come back untouched,
/// so fields vdm has never heard of (cache_control, thinking signatures, new beta blocks) survive.
/// </summary>
internal sealed class AnthropicPassthroughAdapter : IFormatAdapter
{
    public static AnthropicPassthroughAdapter Instance { get; } = new();

    public ApiFormat Format => ApiFormat.Anthropic;

    public string MessagesPath => "v1/messages";

    public ConversionError? WriteRequest(ReadOnlyMemory<byte> clientBody, ConversionContext context, IBufferWriter<byte> upstreamBody)
    {
        var body = clientBody.Span;
        if (FindModel(body, out var start, out var end) is { } error)
        {
            return error;
        }

        if (UnsignedThinking.MayContain(body))
        {
            using var document = JsonDocument.Parse(clientBody, new JsonDocumentOptions { MaxDepth = 512 });
            UnsignedThinking.Rewrite(document.RootElement, context.UpstreamModel, upstreamBody);
            return null;
        }

        Splice(body, start, end, context.UpstreamModel, upstreamBody);
        return null;
    }

    /// <summary>The same, for a body the gateway has parsed already: the model's bytes are found in the document, not by a second pass.</summary>
    public ConversionError? WriteRequest(ReadOnlyMemory<byte> clientBody, JsonElement root, ConversionContext context, IBufferWriter<byte> upstreamBody)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ConversionError.InvalidRequest("The request body must be a JSON object.");
        }

        JsonElement model = default;
        foreach (var property in root.EnumerateObject())
        {
            if (!property.NameEquals("model"u8))
            {
                continue;
            }

            if (model.ValueKind != JsonValueKind.Undefined)
            {
                return ConversionError.InvalidRequest("model: appears more than once.");
            }

            model = property.Value;
        }

        if (model.ValueKind == JsonValueKind.Undefined)
        {
            return ConversionError.InvalidRequest("model: is required.");
        }

        if (model.ValueKind != JsonValueKind.String)
        {
            return ConversionError.InvalidRequest("model: must be a string.");
        }

        var body = clientBody.Span;
        if (UnsignedThinking.MayContain(body))
        {
            UnsignedThinking.Rewrite(root, context.UpstreamModel, upstreamBody);
            return null;
        }

        // The document points into the body it was parsed from, so the model value's place is its offset there.
        var raw = Json.JsonValues.Raw(model);
        if (!body.Overlaps(raw, out var start))
        {
            return WriteRequest(clientBody, context, upstreamBody);
        }

        Splice(body, start, start + raw.Length, context.UpstreamModel, upstreamBody);
        return null;
    }

    private static void Splice(ReadOnlySpan<byte> body, int start, int end, string upstreamModel, IBufferWriter<byte> upstreamBody)
    {
        upstreamBody.Write(body[..start]);
        var model = JsonEncodedText.Encode(upstreamModel);
        upstreamBody.Write("\""u8);
        upstreamBody.Write(model.EncodedUtf8Bytes);
        upstreamBody.Write("\""u8);
        upstreamBody.Write(body[end..]);
    }

    public ConversionError? WriteResponse(ReadOnlyMemory<byte> upstreamBody, ConversionContext context, IBufferWriter<byte> clientBody)
    {
        clientBody.Write(upstreamBody.Span);
        return null;
    }

    public ConversionError? WriteResponseAsStream(ReadOnlyMemory<byte> upstreamBody, ConversionContext context, IBufferWriter<byte> clientStream)
    {
        try
        {
            var reader = new Utf8JsonReader(upstreamBody.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new ConversionError(AnthropicErrorTypes.Api, "The upstream returned a response that is not a JSON object.");
            }

            reader.Skip();
        }
        catch (JsonException exception)
        {
            return new ConversionError(AnthropicErrorTypes.Api, $"The upstream returned invalid JSON: {exception.Message}");
        }

        Response.SyntheticStream.Write(upstreamBody, clientStream);
        return null;
    }

    public async Task RelayStreamAsync(Stream upstream, PipeWriter client, ConversionContext context, CancellationToken cancellationToken)
    {
        var relay = new PassthroughRelay(client);
        var keepAlive = Streaming.KeepAlive.Start(context, relay.TryWritePing, client, cancellationToken);

        // A read returns what has arrived, an event or a few: 4 KiB holds that without an oversized buffer held by each
        // of thousands of waiting streams. Read into a buffer of its own, not the client's, so that a keep-alive ping
        // can be written to the client while the read waits.
        var buffer = ArrayPool<byte>.Shared.Rent(4 * 1024);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await upstream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (IOException) when (relay.End.Seen)
                {
                    // The answer was complete (message_stop, or the provider's own error event): a connection that then
                    // breaks or idles is no failure of it, and the client must not be told one.
                    return;
                }

                if (keepAlive is not null)
                {
                    await keepAlive.EnterAsync(cancellationToken).ConfigureAwait(false);
                }

                try
                {
                    if (read == 0)
                    {
                        relay.WriteEnd(context.Provider);
                        await client.FlushAsync(cancellationToken).ConfigureAwait(false);
                        return;
                    }

                    // Upstream writes each event as it happens: forward and flush it at once rather than wait for a
                    // full buffer (a stalled token would otherwise sit here).
                    relay.Forward(buffer.AsSpan(0, read));
                    var flush = await client.FlushAsync(cancellationToken).ConfigureAwait(false);
                    if (flush.IsCompleted || flush.IsCanceled)
                    {
                        return;
                    }
                }
                finally
                {
                    keepAlive?.Exit(wrote: true);
                }
            }
        }
        finally
        {
            if (keepAlive is not null)
            {
                await keepAlive.DisposeAsync().ConfigureAwait(false);
            }

            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Finds the byte range of the top-level <c>model</c> string, validating the whole body on the way.</summary>
    private static ConversionError? FindModel(ReadOnlySpan<byte> body, out int start, out int end)
    {
        start = end = -1;
        try
        {
            var reader = new Utf8JsonReader(body);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return ConversionError.InvalidRequest("The request body must be a JSON object.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isModel = reader.ValueTextEquals("model"u8);
                reader.Read();
                if (!isModel)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    return ConversionError.InvalidRequest("model: must be a string.");
                }

                if (start >= 0)
                {
                    return ConversionError.InvalidRequest("model: appears more than once.");
                }

                start = (int)reader.TokenStartIndex;
                end = (int)reader.BytesConsumed;
            }

            // Reading on to the end proves nothing but whitespace follows the object.
            reader.Read();
        }
        catch (JsonException exception)
        {
            return ConversionError.InvalidRequest($"The request body is not valid JSON: {exception.Message}");
        }

        return start < 0 ? ConversionError.InvalidRequest("model: is required.") : null;
    }
}
