using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vdm.Conversion.Request;

/// <summary>
/// Anthropic Messages request → OpenAI Chat Completions request. The body is parsed once into a pooled
/// <see cref="JsonDocument"/> index (one validating pass, no strings materialised); text, images and tool arguments
/// are then copied out as raw bytes. What cannot be carried over is either a 400 naming the field or a note for the log.
/// </summary>
internal static class AnthropicToOpenAIRequest
{
    // Relaxed escaping keeps non-ASCII text readable (and 1 byte per byte, not 6) in what vdm writes itself;
    // copied strings keep the client's own escaping.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    // Tool schemas nest deeper than the parser's default limit of 64 more often than one would think.
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 512 };

    public static ConversionError? Write(ReadOnlyMemory<byte> body, ConversionContext context, IBufferWriter<byte> output)
    {
        try
        {
            using var document = JsonDocument.Parse(body, ParseOptions);
            return Write(document.RootElement, context, output);
        }
        catch (JsonException exception)
        {
            return ConversionError.InvalidRequest($"The request body is not valid JSON: {exception.Message}");
        }
    }

    /// <summary>Converts a body the caller already parsed (the gateway parses each body once).</summary>
    public static ConversionError? Write(JsonElement body, ConversionContext context, IBufferWriter<byte> output)
    {
        try
        {
            var request = RequestFields.Read(body, context);
            using var buffers = new ConversionBuffers();
            using var writer = new Utf8JsonWriter(output, WriterOptions);

            writer.WriteStartObject();
            writer.WriteString("model"u8, context.UpstreamModel);
            writer.WriteStartArray("messages"u8);
            var messages = new MessageWriter(writer, buffers, context);
            messages.WriteSystem(request.System, request.Messages);
            messages.WriteMessages(request.Messages);
            writer.WriteEndArray();
            RequestParameters.Write(writer, request, context);
            ToolCalls.WriteDefinitions(writer, request.Tools, request.ToolChoice, context);
            writer.WriteEndObject();
            writer.Flush();
            return null;
        }
        catch (JsonException exception)
        {
            return ConversionError.InvalidRequest($"The request body is not valid JSON: {exception.Message}");
        }
        catch (InvalidRequestException exception)
        {
            return ConversionError.InvalidRequest(exception.Message);
        }
    }
}
