using System.Text;
using System.Text.Json;

namespace Vdm.Tests.Conversion.Streaming;

/// <summary>
/// Replays an Anthropic SSE stream the way the Anthropic SDKs accumulate it, but strictly: every event named after
/// its JSON type, <c>message_start</c> first, blocks started in index order and stopped before the next one starts,
/// no delta outside its open block, <c>message_stop</c> last or a final <c>error</c>. Throws on any violation and
/// returns the accumulated message, with each tool's input parsed as JSON.
/// </summary>
internal static class AnthropicStreamAccumulator
{
    /// <summary>The accumulated message.</summary>
    /// <param name="Blocks">One line per content block: <c>text: …</c>, <c>thinking: … | signature</c>, <c>tool_use id name: {json}</c>.</param>
    /// <param name="StopReason">The final stop reason; null when the stream ended with an error.</param>
    /// <param name="Usage">The final usage object's raw JSON.</param>
    /// <param name="Error">The error event's <c>error</c> object raw JSON, if the stream ended with one.</param>
    public sealed record Message(IReadOnlyList<string> Blocks, string? StopReason, string? Usage, string? Error);

    public static Message Replay(string stream)
    {
        if (!stream.EndsWith("\n\n", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The stream does not end with a complete event.");
        }

        var blocks = new List<(string Type, StringBuilder Text, StringBuilder Extra, string Header)>();
        int? open = null;
        string? stopReason = null, usage = null, error = null;
        var started = false;
        var ended = false;
        foreach (var raw in stream[..^2].Split("\n\n"))
        {
            if (ended)
            {
                throw new InvalidOperationException($"An event follows the end of the stream: {raw}");
            }

            var lines = raw.Split('\n');
            if (lines.Length != 2 || !lines[0].StartsWith("event: ", StringComparison.Ordinal) || !lines[1].StartsWith("data: ", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"Not an 'event:' and a 'data:' line: {raw}");
            }

            var name = lines[0]["event: ".Length..];
            using var document = JsonDocument.Parse(lines[1]["data: ".Length..]);
            var data = document.RootElement;
            if (data.GetProperty("type").GetString() != name)
            {
                throw new InvalidOperationException($"The event name {name} is not the data's type: {raw}");
            }

            if (!started && name != "message_start")
            {
                throw new InvalidOperationException($"The first event is {name}, not message_start.");
            }

            switch (name)
            {
                case "message_start" when !started:
                    started = true;
                    break;
                case "ping":
                    break;
                case "content_block_start":
                    Require(open is null && stopReason is null, "a block starts while another is open or after message_delta", raw);
                    Require(data.GetProperty("index").GetInt32() == blocks.Count, "block indices are not sequential", raw);
                    var block = data.GetProperty("content_block");
                    var type = block.GetProperty("type").GetString()!;
                    var header = type == "tool_use" ? $"{block.GetProperty("id").GetString()} {block.GetProperty("name").GetString()}" : "";
                    blocks.Add((type, new StringBuilder(), new StringBuilder(), header));
                    open = blocks.Count - 1;
                    break;
                case "content_block_delta":
                    Require(open == data.GetProperty("index").GetInt32(), "a delta is not for the open block", raw);
                    var delta = data.GetProperty("delta");
                    var current = blocks[open!.Value];
                    var (field, target) = (delta.GetProperty("type").GetString(), current.Type) switch
                    {
                        ("text_delta", "text") => ("text", current.Text),
                        ("thinking_delta", "thinking") => ("thinking", current.Text),
                        ("signature_delta", "thinking") => ("signature", current.Extra),
                        ("input_json_delta", "tool_use") => ("partial_json", current.Text),
                        _ => throw new InvalidOperationException($"A delta does not fit its block: {raw}"),
                    };
                    target.Append(delta.GetProperty(field).GetString());
                    break;
                case "content_block_stop":
                    Require(open == data.GetProperty("index").GetInt32(), "a stop is not for the open block", raw);
                    open = null;
                    break;
                case "message_delta":
                    Require(open is null, "message_delta while a block is open", raw);
                    stopReason = data.GetProperty("delta").GetProperty("stop_reason").GetString();
                    usage = data.GetProperty("usage").GetRawText();
                    break;
                case "message_stop":
                    Require(stopReason is not null, "message_stop without message_delta", raw);
                    ended = true;
                    break;
                case "error":
                    error = data.GetProperty("error").GetRawText();
                    ended = true;
                    break;
                default:
                    throw new InvalidOperationException($"Unexpected event {name}.");
            }
        }

        Require(ended, "the stream has neither message_stop nor error", stream);
        return new Message([.. blocks.Select(Describe)], error is null ? stopReason : null, usage, error);
    }

    private static string Describe((string Type, StringBuilder Text, StringBuilder Extra, string Header) block) => block.Type switch
    {
        "tool_use" => $"tool_use {block.Header}: {Compact(block.Text.ToString())}",
        "thinking" => $"thinking: {block.Text} | {block.Extra}",
        _ => $"{block.Type}: {block.Text}",
    };

    private static string Compact(string json)
    {
        using var document = JsonDocument.Parse(json.Length == 0 ? "{}" : json);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            document.RootElement.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Require(bool condition, string rule, string raw)
    {
        if (!condition)
        {
            throw new InvalidOperationException($"Grammar violation, {rule}: {raw}");
        }
    }
}
