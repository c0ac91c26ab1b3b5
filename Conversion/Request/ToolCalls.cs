using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Conversion.Request;

/// <summary>Tool definitions, tool choice and history tool calls in OpenAI's function form (peers.md §3.1 items 19-20, 25-26; §3.2 33-36).</summary>
internal static class ToolCalls
{
    /// <summary>An assistant <c>tool_use</c> as a <c>tool_calls</c> entry; arguments are the compact JSON of the input, <c>{}</c> at least.</summary>
    public static void WriteCall(Utf8JsonWriter writer, PooledBufferWriter arguments, ContentBlock block, ConversionContext context, string path)
    {
        if (!JsonValues.IsString(block.Id))
        {
            throw new InvalidRequestException($"{path}.id: must be a string");
        }

        writer.WriteStartObject();
        ToolIds.Write(writer, "id"u8, block.Id, context);
        writer.WriteString("type"u8, "function"u8);
        writer.WriteStartObject("function"u8);
        WriteName(writer, block.Name, context, path);

        arguments.Clear();
        if (JsonValues.IsObject(block.Input))
        {
            JsonValues.WriteCompact(JsonValues.Raw(block.Input), arguments);
        }
        else
        {
            if (!JsonValues.IsNull(block.Input))
            {
                context.Notes.Add($"{path}.input: not an object; sent as {{}}");
            }

            arguments.Write("{}"u8);
        }

        writer.WriteString("arguments"u8, arguments.WrittenSpan);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>Writes <c>tools</c> and <c>tool_choice</c>; both are left out when no function tool remains (item 34).</summary>
    public static void WriteDefinitions(Utf8JsonWriter writer, JsonElement tools, JsonElement toolChoice, ConversionContext context)
    {
        if (JsonValues.IsNull(tools))
        {
            return;
        }

        if (!JsonValues.IsArray(tools))
        {
            throw new InvalidRequestException("tools: must be an array");
        }

        var written = 0;
        var cursor = new JsonArrayCursor(tools);
        while (cursor.MoveNext())
        {
            var path = $"tools[{cursor.Index}]";
            if (!JsonValues.IsObject(cursor.Current))
            {
                throw new InvalidRequestException($"{path}: must be an object");
            }

            JsonElement type = default, name = default, description = default, schema = default;
            var fields = new JsonObjectCursor(cursor.Current);
            while (fields.MoveNext())
            {
                if (fields.NameIs("type"u8)) { type = fields.Value; }
                else if (fields.NameIs("name"u8)) { name = fields.Value; }
                else if (fields.NameIs("description"u8)) { description = fields.Value; }
                else if (fields.NameIs("input_schema"u8)) { schema = fields.Value; }
            }

            // Server tools (web_search_*, code_execution_*, …) run at Anthropic; as plain functions they would be
            // called and never answered, so they are left out rather than failing the request (item 36).
            if (!JsonValues.IsNull(type) && !JsonValues.StringEquals(type, "custom"u8) && JsonValues.IsNull(schema))
            {
                context.Notes.Add($"{path}: dropped server tool '{(JsonValues.IsString(name) ? name.GetString() : "?")}', " +
                    "which only Anthropic can run");
                continue;
            }

            if (written++ == 0)
            {
                writer.WriteStartArray("tools"u8);
            }

            writer.WriteStartObject();
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            WriteName(writer, name, context, path);
            writer.WritePropertyName("description"u8);
            if (JsonValues.IsString(description))
            {
                writer.WriteRawValue(JsonValues.Raw(description), skipInputValidation: true);
            }
            else
            {
                writer.WriteStringValue(""u8);
            }

            writer.WritePropertyName("parameters"u8);
            if (context.Profile.GeminiSchema && JsonValues.IsObject(schema))
            {
                GeminiSchema.Write(writer, schema);
            }
            else
            {
                WriteSchema(writer, schema, path);
            }
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        if (written == 0)
        {
            return;
        }

        writer.WriteEndArray();
        WriteChoice(writer, toolChoice, context);
    }

    private static void WriteChoice(Utf8JsonWriter writer, JsonElement toolChoice, ConversionContext context)
    {
        if (JsonValues.IsNull(toolChoice))
        {
            return;
        }

        if (!JsonValues.IsObject(toolChoice))
        {
            throw new InvalidRequestException("tool_choice: must be an object such as {\"type\":\"auto\"}");
        }

        JsonElement type = default, name = default, disableParallel = default;
        var fields = new JsonObjectCursor(toolChoice);
        while (fields.MoveNext())
        {
            if (fields.NameIs("type"u8)) { type = fields.Value; }
            else if (fields.NameIs("name"u8)) { name = fields.Value; }
            else if (fields.NameIs("disable_parallel_tool_use"u8)) { disableParallel = fields.Value; }
        }

        if (JsonValues.StringEquals(type, "auto"u8))
        {
            writer.WriteString("tool_choice"u8, "auto"u8);
        }
        else if (JsonValues.StringEquals(type, "any"u8))
        {
            writer.WriteString("tool_choice"u8, "required"u8);
        }
        else if (JsonValues.StringEquals(type, "none"u8))
        {
            writer.WriteString("tool_choice"u8, "none"u8);
        }
        else if (JsonValues.StringEquals(type, "tool"u8))
        {
            writer.WriteStartObject("tool_choice"u8);
            writer.WriteString("type"u8, "function"u8);
            writer.WriteStartObject("function"u8);
            WriteName(writer, name, context, "tool_choice");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }
        else
        {
            throw new InvalidRequestException("tool_choice.type: must be auto, any, tool or none");
        }

        if (JsonValues.IsTrue(disableParallel))
        {
            writer.WriteBoolean("parallel_tool_calls"u8, false);
        }
    }

    /// <summary>
    /// The input schema as OpenAI parameters: an object schema needs <c>type</c> and <c>properties</c>, which
    /// Anthropic lets a client leave out (item 35); everything else is copied as written.
    /// </summary>
    private static void WriteSchema(Utf8JsonWriter writer, JsonElement schema, string path)
    {
        if (JsonValues.IsNull(schema))
        {
            writer.WriteRawValue("{\"type\":\"object\",\"properties\":{}}"u8, skipInputValidation: true);
            return;
        }

        if (!JsonValues.IsObject(schema))
        {
            throw new InvalidRequestException($"{path}.input_schema: must be an object");
        }

        bool hasType = false, hasProperties = false;
        var fields = new JsonObjectCursor(schema);
        while (fields.MoveNext())
        {
            hasType |= fields.NameIs("type"u8);
            hasProperties |= fields.NameIs("properties"u8);
        }

        if (hasType && hasProperties)
        {
            writer.WriteRawValue(JsonValues.Raw(schema), skipInputValidation: true);
            return;
        }

        writer.WriteStartObject();
        if (!hasType)
        {
            writer.WriteString("type"u8, "object"u8);
        }

        if (!hasProperties)
        {
            writer.WriteStartObject("properties"u8);
            writer.WriteEndObject();
        }

        fields = new JsonObjectCursor(schema);
        while (fields.MoveNext())
        {
            JsonValues.WritePropertyName(writer, fields.Property);
            writer.WriteRawValue(JsonValues.Raw(fields.Value), skipInputValidation: true);
        }

        writer.WriteEndObject();
    }

    private static void WriteName(Utf8JsonWriter writer, JsonElement name, ConversionContext context, string path)
    {
        if (!JsonValues.HasText(name))
        {
            throw new InvalidRequestException($"{path}.name: must be a non-empty string");
        }

        // The common case, a plain short name, is copied as is; anything else goes through the name map (item 26).
        var inner = JsonValues.Inner(name);
        if (inner.Length <= ToolNameMap.MaxLength && IsPlainName(inner))
        {
            writer.WritePropertyName("name"u8);
            writer.WriteRawValue(JsonValues.Raw(name), skipInputValidation: true);
            return;
        }

        writer.WriteString("name"u8, context.ToolNames.ToUpstream(name.GetString()!));
    }

    private static bool IsPlainName(ReadOnlySpan<byte> name)
    {
        foreach (var b in name)
        {
            if (!char.IsAsciiLetterOrDigit((char)b) && b != (byte)'_' && b != (byte)'-')
            {
                return false;
            }
        }

        return true;
    }
}
