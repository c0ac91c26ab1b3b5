using System.Text;
using System.Text.Json;

namespace Vdm.Load;

/// <summary>
/// One event of vdm's answer, reduced to what the check needs: its <c>event:</c> name, the <c>type</c> its data says,
/// the text of a text_delta, and for an error event its raw data.
/// </summary>
internal readonly record struct SseEvent(string Name, string? Type, string? Text, string? ErrorData, bool Malformed)
{
    /// <summary>An <see cref="System.Net.ServerSentEvents.SseItemParser{T}"/>: reads the data as it comes off the wire.</summary>
    public static SseEvent Parse(string name, ReadOnlySpan<byte> data)
    {
        try
        {
            var (type, text) = ReadTypeAndText(data);
            return new SseEvent(name, type, text, name == "error" ? Encoding.UTF8.GetString(data) : null, Malformed: false);
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            return new SseEvent(name, null, null, Encoding.UTF8.GetString(data), Malformed: true);
        }
    }

    /// <summary>The top-level "type", and "delta.text" when "delta.type" is text_delta.</summary>
    private static (string? Type, string? Text) ReadTypeAndText(ReadOnlySpan<byte> data)
    {
        var reader = new Utf8JsonReader(data);
        string? type = null;
        string? deltaType = null;
        string? text = null;
        var inDelta = false;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == 1)
            {
                inDelta = reader.ValueTextEquals("delta"u8);
                if (reader.ValueTextEquals("type"u8) && reader.Read())
                {
                    type = reader.GetString();
                }
            }
            else if (reader.CurrentDepth == 2 && inDelta)
            {
                if (reader.ValueTextEquals("type"u8) && reader.Read())
                {
                    deltaType = reader.GetString();
                }
                else if (reader.ValueTextEquals("text"u8) && reader.Read())
                {
                    text = reader.GetString();
                }
            }
        }

        return (type, deltaType == "text_delta" ? text : null);
    }
}
