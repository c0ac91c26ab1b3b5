using System.Text;
using System.Text.Json;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.MalformedInput;

/// <summary>
/// The valid requests the malformed ones are made from: small Anthropic Messages bodies that between them hold every
/// kind of block and top-level field, small Chat Completions bodies, and the recorded 93 KB Claude Code request.
/// Text is not all ASCII, so that cuts and flips land inside multi-byte characters too.
/// </summary>
internal static class SeedBodies
{
    // A 1×1 PNG, whose header the token estimate reads, and the first bytes of a PDF.
    private const string Png = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";
    private const string Pdf = "JVBERi0xLjQK";

    public const string Minimal = """{"model":"MODEL","max_tokens":64,"messages":[{"role":"user","content":"Hi, héllo 你好 🎉"}]}""";

    /// <summary>Every block kind, every top-level field the gateway reads.</summary>
    public static string Full { get; } = FullTemplate.Replace("PNG", Png, StringComparison.Ordinal).Replace("PDF", Pdf, StringComparison.Ordinal);

    private const string FullTemplate = """
        {"model":"MODEL","max_tokens":1024,"temperature":0.7,"top_p":0.9,"top_k":40,"stop_sequences":["\n\nHuman:","END"],
         "stream":true,"metadata":{"user_id":"user_abc_account__session_1234"},
         "thinking":{"type":"enabled","budget_tokens":2048},"output_config":{"effort":"high"},
         "output_format":{"type":"json_schema","schema":{"type":"object","properties":{"a":{"type":"string"}}}},
         "system":[{"type":"text","text":"You are terse. Ünïcödé ✓","cache_control":{"type":"ephemeral"}},{"type":"text","text":"x-anthropic-billing-header: cc_version=1"}],
         "messages":[
          {"role":"user","content":[{"type":"text","text":"Look at this ☃"},
            {"type":"image","source":{"type":"base64","media_type":"image/png","data":"PNG"}},
            {"type":"image","source":{"type":"url","url":"https://example.com/a.png"}},
            {"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"PDF"},"title":"a.pdf"},
            {"type":"document","source":{"type":"text","media_type":"text/plain","data":"plain text"}}]},
          {"role":"assistant","content":[{"type":"thinking","thinking":"Let me think…","signature":"c2ln"},
            {"type":"redacted_thinking","data":"cmVkYWN0ZWQ="},
            {"type":"text","text":"Calling a tool."},
            {"type":"tool_use","id":"toolu_01","name":"get_weather","input":{"city":"Zürich","days":[1,2],"deep":{"a":{"b":null}}}},
            {"type":"tool_use","id":"toolu_02","name":"mcp__server__a tool with spaces","input":{}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"sunny, 21°C"},
            {"type":"tool_result","tool_use_id":"toolu_02","is_error":true,"content":[{"type":"text","text":"failed"},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"PNG"}}]},
            {"type":"text","text":"Thanks"}]},
          {"role":"assistant","content":"A plain string answer."},
          {"role":"user","content":"Again?"}],
         "tools":[{"name":"get_weather","description":"Weather for a city","input_schema":{"type":"object",
            "properties":{"city":{"type":"string","format":"city"},"unit":{"type":["string","null"],"enum":["c","f"]},
              "days":{"type":"array","items":{"type":"integer"}},"where":{"$ref":"#/$defs/place"},"kind":{"const":"x"},
              "any":{"anyOf":[{"type":"string"},{"type":"number"}]}},
            "required":["city"],"$defs":{"place":{"type":"object","properties":{"lat":{"type":"number"}}}}},"cache_control":{"type":"ephemeral"}},
          {"type":"custom","name":"mcp__server__a tool with spaces","input_schema":{"properties":{}}},
          {"type":"web_search_20250305","name":"web_search","max_uses":3}],
         "tool_choice":{"type":"tool","name":"get_weather","disable_parallel_tool_use":true}}
        """;

    /// <summary>The other spellings: a string system prompt, string contents, tool choice auto, no stream.</summary>
    public const string Plain = """
        {"model":"MODEL","max_tokens":10,"system":"Be brief.","stream":false,"tool_choice":{"type":"auto"},
         "tools":[{"name":"t","input_schema":{"type":"object","properties":{"q":{"type":"string"}}}}],
         "messages":[{"role":"user","content":"One"},{"role":"assistant","content":[{"type":"text","text":""}]},{"role":"user","content":[{"type":"text","text":"Two"}]}]}
        """;

    public const string ChatMinimal = """{"model":"MODEL","messages":[{"role":"user","content":"Hi, héllo 你好 🎉"}]}""";

    /// <summary>A Chat Completions request with the fields OpenAI-format clients send.</summary>
    public const string ChatFull = """
        {"model":"MODEL","max_tokens":100,"max_completion_tokens":100,"temperature":0.2,"top_p":1,"n":1,"stream":true,
         "stream_options":{"include_usage":true},"stop":["END"],"user":"user-1","seed":7,"response_format":{"type":"json_object"},
         "messages":[{"role":"system","content":"Be terse ✓"},{"role":"developer","content":"Dev note"},
          {"role":"user","content":[{"type":"text","text":"Look"},{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"f","arguments":"{\"a\":1}"}}]},
          {"role":"tool","tool_call_id":"call_1","content":"ok"}],
         "tools":[{"type":"function","function":{"name":"f","description":"d","parameters":{"type":"object","properties":{"a":{"type":"integer"}}}}}],
         "tool_choice":"auto"}
        """;

    public static IReadOnlyList<string> Anthropic { get; } = [Minimal, Full, Plain];

    public static IReadOnlyList<string> Chat { get; } = [ChatMinimal, ChatFull];

    /// <summary>The recorded Claude Code request (its model is the placeholder MODEL).</summary>
    public static string ClaudeCode { get; } = Encoding.UTF8.GetString(GoldenFile.ReadInput("claude-code-request.json"));

    /// <summary>A seed with its placeholder model replaced by <paramref name="model"/>.</summary>
    public static string WithModel(string seed, string model) =>
        seed.Replace("\"MODEL\"", "\"" + JsonEncodedText.Encode(model).Value + "\"", StringComparison.Ordinal);
}
