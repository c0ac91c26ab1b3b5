using System.Buffers;
using System.Text.Json;

namespace Vdm.Conversion.Response;

/// <summary>An upstream failure as the client should see it: the HTTP status, Anthropic's error type, and a short message.</summary>
internal sealed record MappedError(int Status, string Type, string Message)
{
    /// <summary>Writes <c>{"type":"error","error":{"type":…,"message":…}}</c>, the body Claude Code and the SDKs parse.</summary>
    public void WriteBody(IBufferWriter<byte> output) => WriteBody(output, Type, Message);

    /// <inheritdoc cref="WriteBody(IBufferWriter{byte})"/>
    public static void WriteBody(IBufferWriter<byte> output, string type, string message)
    {
        ArgumentNullException.ThrowIfNull(output);
        using var writer = new Utf8JsonWriter(output, ResponseJson.WriterOptions);
        writer.WriteStartObject();
        writer.WriteString("type"u8, "error"u8);
        writer.WriteStartObject("error"u8);
        writer.WriteString("type"u8, type);
        writer.WriteString("message"u8, message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
