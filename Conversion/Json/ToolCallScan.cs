using System.Text.Json;

namespace Vdm.Conversion.Json;

/// <summary>One tool call found in OpenAI JSON: where its id is in the bytes, and what it says.</summary>
/// <param name="IdStart">Where the id's string token starts (its opening quote); -1 when the call has no id.</param>
/// <param name="IdEnd">Just past its closing quote.</param>
/// <param name="ObjectEnd">Where the call's object closes (the position of its <c>}</c>).</param>
internal readonly record struct FoundToolCall(int Index, string? Id, int IdStart, int IdEnd, int ObjectEnd, string? Signature);

/// <summary>A <c>tool_call_id</c> found in OpenAI JSON (a tool result's), with where its string token is.</summary>
internal readonly record struct FoundToolCallId(string Id, int Start, int End);

/// <summary>
/// Finds the tool calls in an OpenAI request, response or stream chunk (for the thought-signature middleware, which
/// splices ids, and the response tally, which counts calls) — every object in any <c>tool_calls</c> array:
/// its id and where that id is, its index, its <c>extra_content.google.thought_signature</c> — and every
/// <c>tool_call_id</c>, without building a document: the middleware then splices a few tokens and copies every other
/// byte as it was (no re-encoding of strings, numbers or escapes, and nothing to fail on a lone surrogate escape).
/// </summary>
internal static class ToolCallScan
{
    public static (List<FoundToolCall> Calls, List<FoundToolCallId> ResultIds) Find(ReadOnlySpan<byte> json)
    {
        var calls = new List<FoundToolCall>();
        var resultIds = new List<FoundToolCallId>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 512 });
        var arrayDepth = -1;
        var position = 0;
        (int Index, string? Id, int IdStart, int IdEnd, string? Signature) current = default;
        while (reader.Read())
        {
            if (arrayDepth < 0)
            {
                if (reader.TokenType != JsonTokenType.PropertyName)
                {
                    continue;
                }

                if (reader.ValueTextEquals("tool_calls"u8) && reader.Read() && reader.TokenType == JsonTokenType.StartArray)
                {
                    (arrayDepth, position) = (reader.CurrentDepth, 0);
                }
                else if (reader.ValueTextEquals("tool_call_id"u8) && reader.Read() && reader.TokenType == JsonTokenType.String)
                {
                    var start = (int)reader.TokenStartIndex;
                    resultIds.Add(new FoundToolCallId(reader.GetString()!, start, (int)reader.BytesConsumed));
                }

                continue;
            }

            switch (reader.TokenType)
            {
                case JsonTokenType.EndArray when reader.CurrentDepth == arrayDepth:
                    arrayDepth = -1;
                    break;
                case JsonTokenType.StartObject when reader.CurrentDepth == arrayDepth + 1:
                    current = (position, null, -1, -1, null);
                    break;
                case JsonTokenType.EndObject when reader.CurrentDepth == arrayDepth + 1:
                    calls.Add(new FoundToolCall(current.Index, current.Id, current.IdStart, current.IdEnd, (int)reader.TokenStartIndex, current.Signature));
                    position++;
                    break;
                case JsonTokenType.PropertyName when reader.CurrentDepth == arrayDepth + 2:
                    if (reader.ValueTextEquals("id"u8))
                    {
                        if (reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
                        {
                            (current.Id, current.IdStart, current.IdEnd) = (reader.GetString(), (int)reader.TokenStartIndex, (int)reader.BytesConsumed);
                        }
                    }
                    else if (reader.ValueTextEquals("index"u8))
                    {
                        if (reader.Read() && reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var index))
                        {
                            current.Index = index;
                        }
                    }
                    else if (reader.ValueTextEquals("extra_content"u8))
                    {
                        current.Signature = ReadSignature(ref reader) ?? current.Signature;
                    }

                    break;
            }
        }

        return (calls, resultIds);
    }

    /// <summary>At <c>"extra_content"</c>: its <c>google.thought_signature</c>, the reader left at the value's end.</summary>
    private static string? ReadSignature(ref Utf8JsonReader reader)
    {
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        string? signature = null;
        var depth = reader.CurrentDepth;
        var inGoogle = false;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == depth + 1)
            {
                inGoogle = reader.ValueTextEquals("google"u8);
            }
            else if (inGoogle && reader.CurrentDepth == depth + 2 && reader.ValueTextEquals("thought_signature"u8)
                && reader.Read() && reader.TokenType == JsonTokenType.String && reader.ValueSpan.Length > 0)
            {
                signature = reader.GetString();
            }
        }

        return signature;
    }
}
