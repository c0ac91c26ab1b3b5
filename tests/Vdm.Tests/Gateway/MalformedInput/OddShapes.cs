using System.Text;

namespace Vdm.Tests.Gateway.MalformedInput;

/// <summary>
/// Bodies no mutation of a seed would make: empty and non-object roots, deep nesting at each place a value can nest,
/// numbers past every range, duplicate keys, and sizes far past what a client normally sends.
/// </summary>
internal static class OddShapes
{
    private static readonly int[] Depths = [63, 64, 65, 200, 510, 511, 512, 513, 4000, 100_000];

    private static readonly string[] HugeNumbers =
        ["1e400", "-1e400", "1e-400", "-0", "0.0", "1.0", "99999999999999999999", "9223372036854775808", "-9223372036854775809",
         "2147483648", "123456789012345678901234567890.5", "1E+2"];

    public static IEnumerable<FuzzCase> Generate(string model)
    {
        var m = $"\"{model}\"";
        const string Hi = """[{"role":"user","content":"Hi"}]""";

        // A request of model, max_tokens 16, these messages, and more top-level fields.
        string Body(string messages, string more = "") => "{\"model\":" + m + ",\"max_tokens\":16,\"messages\":" + messages + more + "}";
        string ToolUse(string input) => """[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":""" + input +
            """}]},{"role":"user","content":"Hi"}]""";

        foreach (var text in new[] { "", " ", "\n\r\t", "{", "}", "{}", "{ }", "null", "true", "0", "-", "\"{}\"", "[]", "[{}]", "{\"\":0}",
                     "\uFEFF{}", "{\"model\":" + m + "}", "{\"messages\":" + Hi + "}", "{\"model\":" + m + ",\"messages\":" + Hi + "}" })
        {
            yield return Case($"root {Escape(text)}", text);
        }

        var valid = Body(Hi);
        yield return Case("two objects", valid + valid);
        yield return Case("trailing text", valid + " x");
        yield return Case("trailing comma", valid[..^1] + ",}");
        yield return Case("comment", "/* c */" + valid);
        yield return Case("single quotes", valid.Replace('"', '\''));
        yield return Case("NaN", valid.Replace("16", "NaN", StringComparison.Ordinal));
        yield return Case("wrapped in an array", "[" + valid + "]");
        yield return new FuzzCase("UTF-16", Encoding.Unicode.GetBytes(valid));
        yield return new FuzzCase("UTF-8 BOM", [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(valid)]);

        foreach (var depth in Depths)
        {
            var arrays = new string('[', depth) + new string(']', depth);
            var objects = string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
            yield return Case($"root nested {depth}", arrays);
            yield return Case($"tool input nested {depth}", Body(ToolUse(objects)));
            yield return Case($"tool schema nested {depth}", Body(Hi, ""","tools":[{"name":"n","input_schema":{"type":"object","properties":{"p":""" + Schema(depth) + "}}}]"));
            yield return Case($"content nested {depth}", Body("""[{"role":"user","content":""" + arrays + "}]"));
            yield return Case($"metadata nested {depth}", Body(Hi, ",\"metadata\":" + objects));
            yield return Case($"unknown field nested {depth}", Body(Hi, ",\"extra\":" + arrays));
        }

        foreach (var number in HugeNumbers)
        {
            foreach (var field in new[] { "max_tokens", "temperature", "top_p", "top_k", "n", "max_completion_tokens" })
            {
                yield return Case($"{field} = {number}", Body(Hi, $",\"{field}\":{number}"));
            }

            yield return Case($"budget_tokens = {number}", Body(Hi, ""","thinking":{"type":"enabled","budget_tokens":""" + number + "}"));
            yield return Case($"tool input number {number}", Body(ToolUse("{\"x\":" + number + "}")));
        }

        yield return Case("model twice", Body(Hi, ",\"model\":" + m));
        yield return Case("model twice, second a number", Body(Hi, ",\"model\":5"));
        yield return Case("messages twice, second an object", Body(Hi, ",\"messages\":{}"));
        yield return Case("messages twice, first an object", Body("{}", ",\"messages\":" + Hi));
        yield return Case("max_tokens twice", Body(Hi, ",\"max_tokens\":\"x\""));
        yield return Case("stream twice", Body(Hi, ",\"stream\":true,\"stream\":\"yes\""));
        yield return Case("role twice", Body("""[{"role":"user","role":5,"content":"Hi"}]"""));
        yield return Case("block type twice", Body("""[{"role":"user","content":[{"type":"text","type":"image","text":"a"}]}]"""));
        yield return Case("user_id holding JSON with half a surrogate", Body(Hi, ""","metadata":{"user_id":"{\"session_id\":\"\\ud800\"}"}"""));
        yield return Case("empty property names", Body("""[{"":"","role":"user","content":"Hi"}]""", ",\"\":1"));

        yield return Case("1 MB of text", Body("[{\"role\":\"user\",\"content\":\"" + new string('a', 1 << 20) + "\"}]"));
        yield return Case("50k escapes", Body("[{\"role\":\"user\",\"content\":\"" + string.Concat(Enumerable.Repeat("\\u00e9\\n\\\"", 50_000)) + "\"}]"));
        yield return Case("5000 messages", Body("[" + string.Join(',', Enumerable.Repeat("""{"role":"user","content":"Hi"}""", 5000)) + "]"));
        yield return Case("5000 blocks", Body("""[{"role":"user","content":[""" + string.Join(',', Enumerable.Repeat("""{"type":"text","text":"Hi"}""", 5000)) + "]}]"));
        yield return Case("2000 tools", Body(Hi, ",\"tools\":[" + string.Join(',', Enumerable.Range(0, 2000).Select(i =>
            "{\"name\":\"t" + i + "\",\"input_schema\":{\"type\":\"object\"}}")) + "]"));
        yield return Case("long tool name", Body(Hi, ",\"tools\":[{\"name\":\"" + new string('n', 100_000) + "\",\"input_schema\":{}}],\"tool_choice\":{\"type\":\"tool\",\"name\":\"x\"}"));

        // A schema whose $ref points back at itself twice over would double at every level it is inlined.
        yield return Case("self-referencing schema", Body(Hi, ""","tools":[{"name":"n","input_schema":{"type":"object","properties":{"p":{"$ref":"#/$defs/a"}},"$defs":{"a":{"anyOf":[{"$ref":"#/$defs/a"},{"$ref":"#/$defs/a"}],"properties":{"x":{"$ref":"#/$defs/a"},"y":{"$ref":"#/$defs/a"}}}}}}]"""));
        yield return Case("schema ref to root", Body(Hi, ""","tools":[{"name":"n","input_schema":{"$ref":"#/","properties":{"a":{"$ref":"#/properties"}}}}]"""));
    }

    private static string Schema(int depth) =>
        string.Concat(Enumerable.Repeat("{\"type\":\"object\",\"properties\":{\"p\":", depth)) + "{}" + new string('}', depth * 2);

    private static FuzzCase Case(string label, string body) => new(label, Encoding.UTF8.GetBytes(body));

    private static string Escape(string text) => text.Length > 40 ? text[..40] + "…" : text.ReplaceLineEndings("\\n");
}
