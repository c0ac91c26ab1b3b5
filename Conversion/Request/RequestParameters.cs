using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>Sampling and output parameters (peers.md §3.2 items 28-31, 37): limits, stop sequences, streaming, reasoning.</summary>
internal static class RequestParameters
{
    public static void Write(Utf8JsonWriter writer, RequestFields request, ConversionContext context)
    {
        var profile = context.Profile;
        WriteMaxTokens(writer, request.MaxTokens, context);
        CopyNumber(writer, "temperature"u8, request.Temperature, "temperature");
        CopyNumber(writer, "top_p"u8, request.TopP, "top_p");
        if (!JsonValues.IsNull(request.TopK))
        {
            if (profile.TopK)
            {
                CopyNumber(writer, "top_k"u8, request.TopK, "top_k");
            }
            else
            {
                context.Notes.Add($"top_k: dropped, provider '{context.Provider}' does not take it");
            }
        }

        WriteStop(writer, request.StopSequences, context);

        if (JsonValues.IsTrue(request.Stream))
        {
            writer.WriteBoolean("stream"u8, true);
            if (profile.StreamOptions)
            {
                writer.WriteStartObject("stream_options"u8);
                writer.WriteBoolean("include_usage"u8, true);
                writer.WriteEndObject();
            }
        }
        else if (!JsonValues.IsNull(request.Stream) && request.Stream.ValueKind != JsonValueKind.False)
        {
            throw new InvalidRequestException("stream: must be true or false");
        }

        WriteReasoning(writer, request.Thinking, context);
    }

    /// <summary><c>max_tokens</c> under the provider's name for it, clamped only by configured limits.</summary>
    private static void WriteMaxTokens(Utf8JsonWriter writer, JsonElement maxTokens, ConversionContext context)
    {
        if (JsonValues.IsNull(maxTokens))
        {
            return;
        }

        if (!JsonValues.TryGetInt64(maxTokens, out var value) || value < 1)
        {
            throw new InvalidRequestException("max_tokens: must be a positive integer");
        }

        if (context.MaxTokensLimit is { } max && value > max)
        {
            value = max;
        }

        if (context.MinTokensLimit is { } min && value < min)
        {
            value = min;
        }

        writer.WriteNumber(context.Profile.MaxTokensField, value);
    }

    private static void WriteStop(Utf8JsonWriter writer, JsonElement stopSequences, ConversionContext context)
    {
        if (JsonValues.IsNull(stopSequences))
        {
            return;
        }

        if (!JsonValues.IsArray(stopSequences))
        {
            throw new InvalidRequestException("stop_sequences: must be an array of strings");
        }

        var written = 0;
        var cursor = new JsonArrayCursor(stopSequences);
        while (cursor.MoveNext())
        {
            if (!JsonValues.IsString(cursor.Current))
            {
                throw new InvalidRequestException($"stop_sequences[{cursor.Index}]: must be a string");
            }

            if (written == context.Profile.MaxStopSequences)
            {
                context.Notes.Add($"stop_sequences: only the first {written} were sent, the most OpenAI-format providers accept");
                break;
            }

            if (written++ == 0)
            {
                writer.WriteStartArray("stop"u8);
            }

            writer.WriteRawValue(JsonValues.Raw(cursor.Current), skipInputValidation: true);
        }

        if (written > 0)
        {
            writer.WriteEndArray();
        }
    }

    /// <summary>
    /// <c>thinking.budget_tokens</c> as <c>reasoning_effort</c>, in the buckets other gateways use (≤1024 low,
    /// ≤8192 medium, above high), for providers that take it; elsewhere a note says it was dropped.
    /// </summary>
    private static void WriteReasoning(Utf8JsonWriter writer, JsonElement thinking, ConversionContext context)
    {
        if (JsonValues.IsNull(thinking))
        {
            return;
        }

        if (!JsonValues.IsObject(thinking))
        {
            throw new InvalidRequestException("thinking: must be an object");
        }

        JsonElement type = default, budget = default;
        var fields = new JsonObjectCursor(thinking);
        while (fields.MoveNext())
        {
            if (fields.NameIs("type"u8)) { type = fields.Value; }
            else if (fields.NameIs("budget_tokens"u8)) { budget = fields.Value; }
        }

        if (!JsonValues.StringEquals(type, "enabled"u8) && !JsonValues.StringEquals(type, "adaptive"u8))
        {
            return;
        }

        if (!context.Profile.ReasoningEffort)
        {
            context.Notes.Add($"thinking: dropped, provider '{context.Provider}' takes no reasoning_effort for model '{context.UpstreamModel}'");
            return;
        }

        var tokens = JsonValues.TryGetInt64(budget, out var value) ? value : 8192;
        writer.WriteString("reasoning_effort"u8, tokens <= 1024 ? "low"u8 : tokens <= 8192 ? "medium"u8 : "high"u8);
    }

    private static void CopyNumber(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement value, string field)
    {
        if (JsonValues.IsNull(value))
        {
            return;
        }

        if (!JsonValues.IsNumber(value))
        {
            throw new InvalidRequestException($"{field}: must be a number");
        }

        writer.WritePropertyName(name);
        writer.WriteRawValue(JsonValues.Raw(value), skipInputValidation: true);
    }
}
