using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>
/// Anthropic Messages request → OpenAI Chat Completions request, in one forward pass that copies text, images and
/// tool arguments as raw bytes (never decoding the strings), so a 100 KB Claude Code request converts in tens of
/// microseconds. What cannot be carried over is either a 400 naming the field or a note for the log.
/// </summary>
internal static class AnthropicToOpenAIRequest
{
    // Relaxed escaping keeps non-ASCII text readable (and 1 byte per byte, not 6) in what vdm writes itself;
    // copied strings keep the client's own escaping.
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    public static ConversionError? Write(ReadOnlySpan<byte> body, ConversionContext context, IBufferWriter<byte> output)
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
            messages.WriteSystem(request.System);
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
