using Vdm.Conversion;
using static Vdm.Tests.Conversion.Request.RequestConversion;

namespace Vdm.Tests.Conversion.Request;

/// <summary>Tool definitions, tool choice and tool names (peers.md §3.1 item 26, §3.2 items 33-36).</summary>
public class ToolConversionTests
{
    private const string Messages = "\"messages\":[]";
    private const string ReadTool = """{"name":"Read","description":"Reads a file","input_schema":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]},"cache_control":{"type":"ephemeral"}}""";

    [Test]
    public async Task Tools_BecomeFunctionsWithTheSchemaAsParameters()
    {
        var body = Convert($$$"""{"tools":[{{{ReadTool}}}],{{{Messages}}}}""");

        await Assert.That(body).IsEqualTo(
            """{"model":"m","messages":[],"tools":[{"type":"function","function":{"name":"Read","description":"Reads a file","parameters":{"type":"object","properties":{"path":{"type":"string"}},"required":["path"]}}}]}""");
    }

    [Test]
    public async Task Tools_SchemaWithoutTypeOrProperties_GetsThem()
    {
        var body = Convert($$$"""{"tools":[{"name":"Now","input_schema":{"required":[]}}],{{{Messages}}}}""");

        await Assert.That(body).Contains(
            """{"type":"function","function":{"name":"Now","description":"","parameters":{"type":"object","properties":{},"required":[]}}}""");
    }

    [Test]
    public async Task Tools_WithoutSchema_GetAnEmptyObjectSchema()
    {
        var body = Convert($$$"""{"tools":[{"name":"Ping","type":"custom"}],{{{Messages}}}}""");

        await Assert.That(body).Contains("\"parameters\":{\"type\":\"object\",\"properties\":{}}");
    }

    [Test]
    public async Task Tools_ServerTool_IsLeftOutWithANoteAndTheRequestStillConverts()
    {
        var (body, error, notes) = Run($$$"""{"tools":[{"type":"web_search_20250305","name":"web_search","max_uses":5},{{{ReadTool}}}],{{{Messages}}}}""");

        await Assert.That(error).IsNull();
        await Assert.That(body).DoesNotContain("web_search");
        await Assert.That(body).Contains("\"name\":\"Read\"");
        await Assert.That(notes).IsEquivalentTo(["tools[0]: dropped server tool 'web_search', which only Anthropic can run"]);
    }

    [Test]
    public async Task Tools_EmptyOrOnlyServerTools_LeaveOutToolsAndToolChoice()
    {
        var body = Convert($$$"""{"tools":[{"type":"web_search_20250305","name":"web_search"}],"tool_choice":{"type":"any"},{{{Messages}}}}""");

        await Assert.That(body).IsEqualTo("""{"model":"m","messages":[]}""");
    }

    [Test]
    [Arguments("{\"type\":\"auto\"}", "\"tool_choice\":\"auto\"")]
    [Arguments("{\"type\":\"any\"}", "\"tool_choice\":\"required\"")]
    [Arguments("{\"type\":\"none\"}", "\"tool_choice\":\"none\"")]
    [Arguments("{\"type\":\"tool\",\"name\":\"Read\"}", "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"Read\"}}")]
    [Arguments("{\"type\":\"auto\",\"disable_parallel_tool_use\":true}", "\"tool_choice\":\"auto\",\"parallel_tool_calls\":false")]
    public async Task ToolChoice_MapsToOpenAI(string choice, string expected)
    {
        var body = Convert($$$"""{"tools":[{{{ReadTool}}}],"tool_choice":{{{choice}}},{{{Messages}}}}""");

        await Assert.That(body).EndsWith("]," + expected + "}");
    }

    [Test]
    public async Task ToolChoice_UnknownType_IsAnInvalidRequest()
    {
        var (_, error, _) = Run($$$"""{"tools":[{{{ReadTool}}}],"tool_choice":{"type":"sometimes"},{{{Messages}}}}""");

        await Assert.That(error).IsEqualTo(new ConversionError("invalid_request_error", "tool_choice.type: must be auto, any, tool or none"));
    }

    [Test]
    public async Task LongToolName_IsShortenedTheSameWayInToolsChoiceAndHistoryAndMapsBack()
    {
        var name = "mcp__some_really_long_server_name__with_an_extremely_long_tool_name_here";
        var context = Context();
        var body = Convert($$$$"""
            {"tools":[{"name":"{{{{name}}}}","input_schema":{"type":"object","properties":{}}}],
             "tool_choice":{"type":"tool","name":"{{{{name}}}}"},
             "messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"{{{{name}}}}","input":{}}]}]}
            """, context);
        var upstreamName = context.ToolNames.ToUpstream(name);

        await Assert.That(upstreamName.Length).IsEqualTo(64);
        await Assert.That(body).DoesNotContain(name);
        await Assert.That(body.Split($"\"name\":\"{upstreamName}\"").Length - 1).IsEqualTo(3);
        await Assert.That(context.ToolNames.ToClient(upstreamName)).IsEqualTo(name);
    }

    [Test]
    public async Task ToolName_Missing_IsAnInvalidRequest()
    {
        var (_, error, _) = Run($$$"""{"tools":[{"input_schema":{}}],{{{Messages}}}}""");

        await Assert.That(error).IsEqualTo(new ConversionError("invalid_request_error", "tools[0].name: must be a non-empty string"));
    }

    [Test]
    public async Task Tools_DeeplyNestedSchema_IsAccepted()
    {
        var nested = string.Concat(Enumerable.Repeat("{\"type\":\"object\",\"properties\":{\"a\":", 100)) + "{}" + new string('}', 200);

        var (body, error, _) = Run("{\"tools\":[{\"name\":\"Deep\",\"input_schema\":" + nested + "}],\"messages\":[]}");

        await Assert.That(error).IsNull();
        await Assert.That(body).Contains(nested);
    }

    [Test]
    public async Task ToolIds_ForMistral_BecomeNineCharactersTheSameOnCallAndResult()
    {
        var body = Convert("""
            {"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"toolu_01ABCDEFGHIJKLMNOP","name":"A","input":{}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01ABCDEFGHIJKLMNOP","content":"ok"}]}]}
            """, Context("mistral", "mistral-large-latest"));
        var callId = System.Text.RegularExpressions.Regex.Match(body, "\"id\":\"([^\"]+)\"").Groups[1].Value;

        await Assert.That(callId).Matches("^[A-Za-z0-9]{9}$");
        await Assert.That(body).Contains($"\"tool_call_id\":\"{callId}\"");
        await Assert.That(body).DoesNotContain("toolu_");
    }

    [Test]
    public async Task ToolIds_AlreadyNineCharacters_AreKeptForMistral()
    {
        var body = Convert("""{"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"aB3dE6gH9","name":"A","input":{}}]}]}""", Context("mistral", "m"));

        await Assert.That(body).Contains("\"id\":\"aB3dE6gH9\"");
    }

    [Test]
    public async Task ToolIds_ForOtherProviders_AreUnchanged()
    {
        var body = Convert("""{"messages":[{"role":"assistant","content":[{"type":"tool_use","id":"toolu_01X","name":"A","input":{}}]}]}""", Context("openai", "gpt-4o"));

        await Assert.That(body).Contains("\"id\":\"toolu_01X\"");
    }
}
