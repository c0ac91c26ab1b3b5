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

        WriteReasoning(writer, request.Thinking, request.OutputConfig, context);
        WriteResponseFormat(writer, request.OutputFormat, request.OutputConfig, context);
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
    /// Reasoning as <c>reasoning_effort</c>, for providers that take it (elsewhere a note says it was dropped):
    /// <c>thinking.budget_tokens</c> in the buckets other gateways use (≤1024 low, ≤8192 medium, above high), or
    /// the effort Claude Code names in <c>output_config.effort</c> (item 37).
    /// </summary>
    private static void WriteReasoning(Utf8JsonWriter writer, JsonElement thinking, JsonElement outputConfig, ConversionContext context)
    {
        if (!JsonValues.IsNull(thinking) && !JsonValues.IsObject(thinking))
        {
            throw new InvalidRequestException("thinking: must be an object");
        }

        JsonElement type = default, budget = default, effort = default;
        if (JsonValues.IsObject(thinking))
        {
            thinking.TryGetProperty("type"u8, out type);
            thinking.TryGetProperty("budget_tokens"u8, out budget);
        }

        if (JsonValues.IsObject(outputConfig))
        {
            outputConfig.TryGetProperty("effort"u8, out effort);
        }

        var thinkingOn = JsonValues.StringEquals(type, "enabled"u8) || JsonValues.StringEquals(type, "adaptive"u8);
        if (!thinkingOn && !JsonValues.IsString(effort))
        {
            return;
        }

        if (!context.Profile.ReasoningEffort)
        {
            context.Notes.Add($"{(thinkingOn ? "thinking" : "output_config.effort")}: dropped, provider '{context.Provider}' " +
                $"takes no reasoning_effort for model '{context.UpstreamModel}'");
            return;
        }

        if (JsonValues.StringEquals(effort, "low"u8) || JsonValues.StringEquals(effort, "medium"u8) || JsonValues.StringEquals(effort, "high"u8))
        {
            writer.WritePropertyName("reasoning_effort"u8);
            writer.WriteRawValue(JsonValues.Raw(effort), skipInputValidation: true);
            return;
        }

        // "max" and anything newer than this code read as the most effort OpenAI offers.
        if (JsonValues.IsString(effort))
        {
            writer.WriteString("reasoning_effort"u8, "high"u8);
            return;
        }

        var tokens = JsonValues.TryGetInt64(budget, out var value) ? value : 8192;
        writer.WriteString("reasoning_effort"u8, tokens <= 1024 ? "low"u8 : tokens <= 8192 ? "medium"u8 : "high"u8);
    }

    /// <summary>
    /// Structured output, <c>output_format</c> or <c>output_config.format</c> with a JSON schema, as OpenAI's
    /// <c>response_format</c> (item 38). Not strict: strict mode would refuse most schemas written for Anthropic.
    /// </summary>
    private static void WriteResponseFormat(Utf8JsonWriter writer, JsonElement outputFormat, JsonElement outputConfig, ConversionContext context)
    {
        var format = outputFormat;
        if (JsonValues.IsNull(format) && JsonValues.IsObject(outputConfig))
        {
            outputConfig.TryGetProperty("format"u8, out format);
        }

        if (JsonValues.IsNull(format))
        {
            return;
        }

        if (!JsonValues.IsObject(format) || !format.TryGetProperty("type"u8, out var type) || !JsonValues.StringEquals(type, "json_schema"u8)
            || !format.TryGetProperty("schema"u8, out var schema) || !JsonValues.IsObject(schema))
        {
            context.Notes.Add("output_format: only {\"type\":\"json_schema\",\"schema\":{…}} can be converted; dropped");
            return;
        }

        writer.WriteStartObject("response_format"u8);
        writer.WriteString("type"u8, "json_schema"u8);
        writer.WriteStartObject("json_schema"u8);
        writer.WriteString("name"u8, "response"u8);
        writer.WritePropertyName("schema"u8);
        writer.WriteRawValue(JsonValues.Raw(schema), skipInputValidation: true);
        writer.WriteEndObject();
        writer.WriteEndObject();
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
