using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Vdm.Tests.Gateway.MalformedInput;

/// <summary>
/// Wrong JSON kinds where the gateway expects a known one: every value of a seed body, at every depth (message
/// contents, blocks, tool inputs, tool results, images, system blocks, tools, tool choice, …), is replaced by values
/// of other kinds, or removed.
/// </summary>
internal static class FieldReplacements
{
    /// <summary>One of each JSON kind, and the edge values of numbers, strings, arrays and objects.</summary>
    public static readonly string[] Values =
        ["null", "true", "false", "0", "-1", "1.5", "1e400", "-99999999999999999999999", "\"\"", "\"x\"", "[]", "[null]", "[1,\"a\",{}]", "{}",
         "{\"type\":null}", "{\"type\":\"text\"}", "{\"type\":\"tool_use\"}", "\"user\"", new string('[', 30) + new string(']', 30)];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// For each value in <paramref name="seed"/> (or a <paramref name="share"/> of them, for large bodies): the body
    /// without it, and with it replaced by <paramref name="perPath"/> of <see cref="Values"/> (all of them when null),
    /// chosen by <paramref name="random"/>.
    /// </summary>
    public static IEnumerable<FuzzCase> Generate(string label, string seed, Random random, int? perPath, double share = 1)
    {
        foreach (var path in Paths(JsonNode.Parse(seed)!, []))
        {
            if (share < 1 && random.NextDouble() >= share)
            {
                continue;
            }

            yield return new FuzzCase($"{label} without {Show(path)}", Edit(seed, path, remove: true, null));
            var values = perPath is null ? Values : Enumerable.Range(0, perPath.Value).Select(_ => Values[random.Next(Values.Length)]).Distinct();
            foreach (var value in values)
            {
                yield return new FuzzCase($"{label} {Show(path)} = {value}", Edit(seed, path, remove: false, value));
            }
        }
    }

    /// <summary>Every path in the document, parents before children; a path is property names and array indexes.</summary>
    private static IEnumerable<object[]> Paths(JsonNode node, object[] prefix)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    object[] path = [.. prefix, name];
                    yield return path;
                    if (child is not null)
                    {
                        foreach (var deeper in Paths(child, path))
                        {
                            yield return deeper;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    object[] path = [.. prefix, i];
                    yield return path;
                    if (array[i] is { } child)
                    {
                        foreach (var deeper in Paths(child, path))
                        {
                            yield return deeper;
                        }
                    }
                }

                break;
        }
    }

    private static byte[] Edit(string seed, object[] path, bool remove, string? value)
    {
        var root = JsonNode.Parse(seed)!;
        var parent = root;
        foreach (var step in path[..^1])
        {
            parent = step is string name ? parent[name]! : parent[(int)step]!;
        }

        var replacement = value is null ? null : JsonNode.Parse(value);
        switch (parent, path[^1])
        {
            case (JsonObject obj, string name) when remove:
                obj.Remove(name);
                break;
            case (JsonObject obj, string name):
                obj[name] = replacement;
                break;
            case (JsonArray array, int index) when remove:
                array.RemoveAt(index);
                break;
            case (JsonArray array, int index):
                array[index] = replacement;
                break;
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            root.WriteTo(writer);
        }

        return buffer.ToArray();
    }

    private static string Show(object[] path) => string.Join('.', path);
}
