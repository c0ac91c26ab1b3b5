using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion;

/// <summary>
/// Removes, from a Messages request bound for an Anthropic-format provider, the thinking blocks vdm itself made on
/// an OpenAI-format route: they carry an empty signature, and Anthropic rejects them once a conversation switches
/// provider. Everything else is copied as written; the rare requests that need it pay for the rewrite, the others
/// do not even parse.
/// </summary>
internal static class UnsignedThinking
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    /// <summary>A cheap first test: only a body with an empty signature can hold such a block.</summary>
    public static bool MayContain(ReadOnlySpan<byte> body) =>
        body.IndexOf("\"signature\":\"\""u8) >= 0 || body.IndexOf("\"signature\": \"\""u8) >= 0;

    /// <summary>Writes the parsed body <paramref name="root"/> with the upstream model and without unsigned thinking blocks.</summary>
    public static void Rewrite(JsonElement root, string upstreamModel, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output, WriterOptions);
        writer.WriteStartObject();
        foreach (var property in root.EnumerateObject())
        {
            if (property.NameEquals("model"u8))
            {
                writer.WriteString("model"u8, upstreamModel);
            }
            else if (property.NameEquals("messages"u8) && JsonValues.IsArray(property.Value))
            {
                writer.WriteStartArray("messages"u8);
                foreach (var message in property.Value.EnumerateArray())
                {
                    WriteMessage(writer, message);
                }

                writer.WriteEndArray();
            }
            else
            {
                JsonValues.WritePropertyName(writer, property);
                writer.WriteRawValue(JsonValues.Raw(property.Value), skipInputValidation: true);
            }
        }

        writer.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter writer, JsonElement message)
    {
        if (!JsonValues.IsObject(message))
        {
            writer.WriteRawValue(JsonValues.Raw(message), skipInputValidation: true);
            return;
        }

        writer.WriteStartObject();
        foreach (var property in message.EnumerateObject())
        {
            JsonValues.WritePropertyName(writer, property);
            if (!property.NameEquals("content"u8) || !JsonValues.IsArray(property.Value))
            {
                writer.WriteRawValue(JsonValues.Raw(property.Value), skipInputValidation: true);
                continue;
            }

            writer.WriteStartArray();
            foreach (var block in property.Value.EnumerateArray())
            {
                if (!IsUnsignedThinking(block))
                {
                    writer.WriteRawValue(JsonValues.Raw(block), skipInputValidation: true);
                }
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    private static bool IsUnsignedThinking(JsonElement block) =>
        JsonValues.IsObject(block)
        && block.TryGetProperty("type"u8, out var type) && JsonValues.StringEquals(type, "thinking"u8)
        && (!block.TryGetProperty("signature"u8, out var signature) || JsonValues.StringEquals(signature, ""u8));
}
