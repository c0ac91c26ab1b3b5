using System.Text.Json;

namespace Vdm.Conversion.Streaming;

/// <summary>
/// Reads an error object sent inside an OpenAI stream (OpenRouter <c>{"error":{code,message}}</c>, OpenAI
/// <c>{message,type,code}</c>, Gemini <c>{code,message,status}</c>) and picks the Anthropic error type for it
/// (peers.md §3.4 item 76, §3.5 item 85).
/// </summary>
internal static class InBandError
{
    public const string DefaultMessage = "The upstream provider reported an error.";

    public static void Read(ref Utf8JsonReader reader, OpenAIChunk chunk)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType == JsonTokenType.String)
        {
            chunk.ErrorMessage = reader.GetString();
            chunk.ErrorType = AnthropicErrorTypes.Api;
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            chunk.ErrorType = AnthropicErrorTypes.Api;
            return;
        }

        int? status = null;
        string? code = null, type = null, message = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var property = reader.ValueTextEquals("message"u8) ? 1
                : reader.ValueTextEquals("code"u8) || reader.ValueTextEquals("status"u8) ? 2
                : reader.ValueTextEquals("type"u8) ? 3
                : 0;
            reader.Read();
            if (property != 0 && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number))
            {
                status ??= number;
            }
            else if (property != 0 && reader.TokenType == JsonTokenType.String)
            {
                var text = reader.GetString();
                if (property == 1)
                {
                    message = text;
                }
                else if (property == 2)
                {
                    code ??= text;
                }
                else
                {
                    type = text;
                }
            }
            else
            {
                reader.Skip();
            }
        }

        chunk.ErrorMessage = string.IsNullOrWhiteSpace(message) ? DefaultMessage : message;
        chunk.ErrorType = TypeFor(status, code, type);
    }

    /// <summary>An HTTP-like status decides; otherwise the provider's code or type words do; else <c>api_error</c>.</summary>
    public static string TypeFor(int? status, string? code, string? type)
    {
        if (status is >= 400 and < 600)
        {
            return AnthropicErrorTypes.ForStatus(status.Value);
        }

        foreach (var word in (ReadOnlySpan<string?>)[code, type])
        {
            if (word is null)
            {
                continue;
            }

            if (Has(word, "rate_limit") || Has(word, "RESOURCE_EXHAUSTED") || Has(word, "too_many_requests"))
            {
                return AnthropicErrorTypes.RateLimit;
            }

            if (Has(word, "overloaded") || Has(word, "UNAVAILABLE") || Has(word, "capacity"))
            {
                return AnthropicErrorTypes.Overloaded;
            }

            if (Has(word, "timeout") || Has(word, "DEADLINE_EXCEEDED"))
            {
                return AnthropicErrorTypes.Timeout;
            }

            if (Has(word, "context_length") || Has(word, "invalid_request") || Has(word, "INVALID_ARGUMENT"))
            {
                return AnthropicErrorTypes.InvalidRequest;
            }
        }

        return AnthropicErrorTypes.Api;
    }

    private static bool Has(string text, string word) => text.Contains(word, StringComparison.OrdinalIgnoreCase);
}
