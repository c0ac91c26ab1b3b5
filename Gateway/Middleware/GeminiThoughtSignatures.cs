using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vdm.Gateway.Middleware;

/// <summary>
/// Gemini's thought signatures, round-tripped for clients that know nothing of them (Claude Code). Gemini's
/// OpenAI-compatible endpoint puts one on each tool call (<c>extra_content.google.thought_signature</c>) and refuses
/// the next turn ("Function call is missing a thought_signature") unless each comes back on the same call.
/// <list type="bullet">
/// <item>Answers, whole or streamed: a tool call with a signature is given a carrier id
/// (<see cref="ThoughtSignatureCarrier"/>), which the client echoes; a signature that arrives after its call's id
/// was already streamed goes to the <see cref="ThoughtSignatureStore"/>.</item>
/// <item>Requests: every assistant tool call with a carrier id gets its original id back and its signature as
/// <c>extra_content</c>, and so does one whose id the store knows; tool results get the original ids too.</item>
/// </list>
/// It runs for every OpenAI-format provider unless <c>GEMINI_THOUGHT_SIGNATURES_ENABLED=false</c>: whatever the
/// provider is called or the alias the client used, it acts as soon as a signature is seen, and otherwise costs one
/// search per answer piece and per request.
/// </summary>
internal sealed class GeminiThoughtSignatures(ThoughtSignatureStore store) : ProxyMiddleware
{
    public const string MiddlewareName = "gemini-thought-signatures";

    public override string Name => MiddlewareName;

    public ThoughtSignatureStore Store => store;

    public override MiddlewareRun Begin(MiddlewareRequest request) => new Run(store, request.Stream);

    private sealed class Run(ThoughtSignatureStore store, bool stream) : MiddlewareRun
    {
        // A streamed call's id by its index, for a signature that comes in a later piece of the same call.
        private Dictionary<int, string>? _streamedIds;

        public override bool RewriteRequest(ReadOnlySpan<byte> request, IBufferWriter<byte> rewritten)
        {
            if (request.IndexOf(ThoughtSignatureCarrier.PrefixUtf8) < 0 && (store.IsEmpty || request.IndexOf("\"tool_calls\""u8) < 0))
            {
                return false;
            }

            if (Parse(request) is not JsonObject { } root || root["messages"] is not JsonArray messages)
            {
                return false;
            }

            var changed = false;
            foreach (var message in messages.OfType<JsonObject>())
            {
                if (message["tool_calls"] is JsonArray calls)
                {
                    foreach (var call in calls.OfType<JsonObject>())
                    {
                        if (String(call["id"]) is not { } id)
                        {
                            continue;
                        }

                        if (ThoughtSignatureCarrier.TryUnwrap(id, out var original, out var signature))
                        {
                            call["id"] = original;
                        }
                        else if (!store.TryGet(id, out signature))
                        {
                            continue;
                        }

                        var extra = call["extra_content"] as JsonObject ?? [];
                        var google = extra["google"] as JsonObject ?? [];
                        google["thought_signature"] = signature;
                        extra["google"] = google;
                        call["extra_content"] = extra;
                        changed = true;
                    }
                }

                if (String(message["tool_call_id"]) is { } resultId && ThoughtSignatureCarrier.TryUnwrap(resultId, out var resultOriginal, out _))
                {
                    message["tool_call_id"] = resultOriginal;
                    changed = true;
                }
            }

            return changed && Write(root, rewritten);
        }

        public override bool RewriteResponse(ReadOnlySpan<byte> json, IBufferWriter<byte> rewritten)
        {
            if (json.IndexOf("thought_signature"u8) < 0)
            {
                // A streamed call's first piece names its id; remember it in case its signature comes later.
                if (stream && json.IndexOf("\"tool_calls\""u8) is var calls and >= 0 && json[calls..].IndexOf("\"id\""u8) >= 0)
                {
                    RememberIds(json);
                }

                return false;
            }

            if (Parse(json) is not JsonObject { } root || root["choices"] is not JsonArray choices)
            {
                return false;
            }

            var changed = false;
            foreach (var choice in choices.OfType<JsonObject>())
            {
                if ((choice["message"] ?? choice["delta"]) is not JsonObject { } holder || holder["tool_calls"] is not JsonArray toolCalls)
                {
                    continue;
                }

                for (var position = 0; position < toolCalls.Count; position++)
                {
                    if (toolCalls[position] is not JsonObject call)
                    {
                        continue;
                    }

                    var index = call["index"] is JsonValue value && value.TryGetValue(out int number) ? number : position;
                    var id = String(call["id"]);
                    if (id is not null)
                    {
                        (_streamedIds ??= [])[index] = id;
                    }

                    if (String(call["extra_content"]?["google"]?["thought_signature"]) is not { } signature)
                    {
                        continue;
                    }

                    if (id is not null)
                    {
                        call["id"] = ThoughtSignatureCarrier.Wrap(id, signature);
                        changed = true;
                    }
                    else if (_streamedIds?.GetValueOrDefault(index) is { } sent)
                    {
                        // The id already reached the client unchanged: only the store can carry this one.
                        store.Add(sent, signature);
                    }
                    else if (!stream)
                    {
                        // A whole answer whose call has no id: the client gets one, and it carries the signature.
                        call["id"] = ThoughtSignatureCarrier.Wrap("call_" + Guid.NewGuid().ToString("N")[..24], signature);
                        changed = true;
                    }
                }
            }

            return changed && Write(root, rewritten);
        }

        private void RememberIds(ReadOnlySpan<byte> json)
        {
            if (Parse(json) is not JsonObject root || root["choices"] is not JsonArray choices)
            {
                return;
            }

            foreach (var choice in choices.OfType<JsonObject>())
            {
                if (choice["delta"]?["tool_calls"] is JsonArray calls)
                {
                    for (var position = 0; position < calls.Count; position++)
                    {
                        if (calls[position] is JsonObject call && String(call["id"]) is { } id)
                        {
                            var index = call["index"] is JsonValue value && value.TryGetValue(out int number) ? number : position;
                            (_streamedIds ??= [])[index] = id;
                        }
                    }
                }
            }
        }

        private static JsonNode? Parse(ReadOnlySpan<byte> json)
        {
            try
            {
                var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 512 });
                return JsonNode.Parse(ref reader);
            }
            catch (JsonException)
            {
                // Not JSON: the translator reports it as it always does; nothing here to carry.
                return null;
            }
        }

        private static string? String(JsonNode? node) =>
            node is JsonValue value && value.TryGetValue(out string? text) && !string.IsNullOrEmpty(text) ? text : null;

        private static bool Write(JsonNode root, IBufferWriter<byte> output)
        {
            using var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
            root.WriteTo(writer);
            return true;
        }
    }
}
