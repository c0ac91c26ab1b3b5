using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Vdm.Gateway.Endpoints;

/// <summary>
/// The upstream body of an OpenAI-format request to an OpenAI-format provider: the client's bytes unchanged but for
/// two splices at the top level, the routed <c>model</c> and a <c>max_tokens</c> / <c>max_completion_tokens</c>
/// above the provider's limit lowered to it. Fields vdm has never heard of go through as they came.
/// </summary>
internal static class ChatCompletionsRequest
{
    /// <summary>Writes the upstream body; returns a client error message when the body cannot be forwarded.</summary>
    /// <param name="user">The top-level <c>user</c> string, when present: the caller's session hint for key stickiness.</param>
    public static string? Write(ReadOnlySpan<byte> body, string upstreamModel, int? maxTokensLimit, IBufferWriter<byte> output, out string? user)
    {
        ArgumentNullException.ThrowIfNull(output);
        user = null;
        var splices = new List<(int Start, int End, byte[] Value)>(3);
        try
        {
            var reader = new Utf8JsonReader(body, new JsonReaderOptions { MaxDepth = 512 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return "The request body must be a JSON object.";
            }

            var sawModel = false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var field = reader.ValueTextEquals("model"u8) ? Field.Model
                    : reader.ValueTextEquals("max_tokens"u8) || reader.ValueTextEquals("max_completion_tokens"u8) ? Field.MaxTokens
                    : reader.ValueTextEquals("user"u8) ? Field.User
                    : Field.Other;
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                switch (field)
                {
                    case Field.Model when reader.TokenType != JsonTokenType.String:
                        return "model: must be a string.";
                    case Field.Model when sawModel:
                        return "model: appears more than once.";
                    case Field.Model:
                        sawModel = true;
                        splices.Add((start, (int)reader.BytesConsumed, Quoted(upstreamModel)));
                        break;
                    case Field.MaxTokens when maxTokensLimit is { } limit && reader.TokenType == JsonTokenType.Number
                        && reader.TryGetInt64(out var requested) && requested > limit:
                        splices.Add((start, (int)reader.BytesConsumed, Encoding.UTF8.GetBytes(limit.ToString(CultureInfo.InvariantCulture))));
                        break;
                    case Field.User when reader.TokenType == JsonTokenType.String:
                        user = reader.GetString();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            // Reading on to the end proves nothing but whitespace follows the object.
            reader.Read();
            if (!sawModel)
            {
                return "model: is required.";
            }
        }
        catch (JsonException exception)
        {
            return $"The request body is not valid JSON: {exception.Message}";
        }

        var written = 0;
        foreach (var (start, end, value) in splices)
        {
            output.Write(body[written..start]);
            output.Write(value);
            written = end;
        }

        output.Write(body[written..]);
        return null;
    }

    private static byte[] Quoted(string value)
    {
        var encoded = JsonEncodedText.Encode(value).EncodedUtf8Bytes;
        var quoted = new byte[encoded.Length + 2];
        quoted[0] = quoted[^1] = (byte)'"';
        encoded.CopyTo(quoted.AsSpan(1));
        return quoted;
    }

    private enum Field
    {
        Other,
        Model,
        MaxTokens,
        User,
    }
}
