using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Vdm.Conversion;

/// <summary>
/// Writes Anthropic's error body, <c>{"type":"error","error":{"type":…,"message":…},"request_id":…}</c>, the one shape
/// Claude Code and the SDKs parse; every error vdm sends a Messages client goes through here.
/// </summary>
internal static class AnthropicErrorBody
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Write(IBufferWriter<byte> output, string type, string message, string? requestId = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "error"u8);
        writer.WriteStartObject("error"u8);
        writer.WriteString("type"u8, type);
        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
        if (requestId is not null)
        {
            writer.WriteString("request_id"u8, requestId);
        }

        writer.WriteEndObject();
    }

    /// <summary>
    /// The body as an SSE <c>error</c> event that ends a stream vdm has already begun. A blank line goes first: it ends
    /// any event the provider broke off in the middle of, so this one is read on its own (an empty event dispatches
    /// nothing).
    /// </summary>
    public static void WriteEvent(IBufferWriter<byte> output, string type, string message)
    {
        ArgumentNullException.ThrowIfNull(output);
        output.Write("\n\nevent: error\ndata: "u8);
        Write(output, type, message);
        output.Write("\n\n"u8);
    }
}
