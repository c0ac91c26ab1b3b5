using System.Text.Json;
using Vdm.Conversion.Contracts;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Conversion.Contracts;

/// <summary>The Anthropic request contracts against the Claude Code fixture and hand-written edge cases.</summary>
public class AnthropicMessagesContractTests
{
    private static MessagesRequest Parse(string json) => JsonSerializer.Deserialize(json, WireJsonContext.Default.MessagesRequest)!;

    [Test]
    public async Task MessagesRequest_ClaudeCodeFixture_ParsesEveryToolMessageAndBlock()
    {
        var bytes = GoldenFile.ReadInput("claude-code-request.json");

        var request = JsonSerializer.Deserialize(bytes, WireJsonContext.Default.MessagesRequest)!;
        var blocks = request.Messages.SelectMany(m => m.Content?.Value ?? []).ToList();

        await Assert.That(request.Tools!.Count).IsEqualTo(15);
        await Assert.That(request.Messages.Count).IsEqualTo(21);
        await Assert.That(request.MaxTokens).IsEqualTo(32000);
        await Assert.That(request.Stream).IsFalse();
        await Assert.That(request.Metadata!.UserId).IsEqualTo("user_bench_large_account__session_0000");
        await Assert.That(request.System!.Value!.All(b => b is TextBlock)).IsTrue();
        await Assert.That(((TextBlock)request.System.Value![0]).CacheControl!.Type).IsEqualTo("ephemeral");
        await Assert.That(blocks.Count(b => b is TextBlock)).IsEqualTo(10);
        await Assert.That(blocks.Count(b => b is ToolUseBlock)).IsEqualTo(9);
        await Assert.That(blocks.Count(b => b is ToolResultBlock)).IsEqualTo(9);
        await Assert.That(blocks.Any(b => b.IsUnrecognized)).IsFalse();
        await Assert.That(request.Tools[0].InputSchema!.Value.ValueKind).IsEqualTo(JsonValueKind.Object);
    }

    [Test]
    public async Task MessageContent_StringOrBlocks_ReadsEachForm()
    {
        var json = """
            {"model":"m","max_tokens":5,"system":"be brief","messages":[
              {"role":"user","content":"hi"},
              {"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},{"type":"redacted_thinking","data":"xyz"},{"type":"tool_use","id":"toolu_1","name":"Read","input":{"path":"a"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"ok"}],"is_error":true},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"AA=="}},{"type":"document","source":{"type":"url","url":"https://x/a.pdf"},"title":"A"}]}
            ]}
            """;

        var request = Parse(json);
        var assistant = request.Messages[1].Content!.Value!;
        var user = request.Messages[2].Content!.Value!;

        await Assert.That(request.System!.Text).IsEqualTo("be brief");
        await Assert.That(request.Messages[0].Content!.Text).IsEqualTo("hi");
        await Assert.That(request.Messages[0].Content!.Value).IsNull();
        await Assert.That(((ThinkingBlock)assistant[0]).Signature).IsEqualTo("sig");
        await Assert.That(((RedactedThinkingBlock)assistant[1]).Data).IsEqualTo("xyz");
        await Assert.That(((ToolUseBlock)assistant[2]).Input.GetProperty("path").GetString()).IsEqualTo("a");
        await Assert.That(((ToolResultBlock)user[0]).IsError).IsTrue();
        await Assert.That(((TextBlock)((ToolResultBlock)user[0]).Content!.Value![0]).Text).IsEqualTo("ok");
        await Assert.That(((ImageBlock)user[1]).Source!.MediaType).IsEqualTo("image/png");
        await Assert.That(((DocumentBlock)user[2]).Source!.Url).IsEqualTo("https://x/a.pdf");
    }

    [Test]
    public async Task ContentBlock_UnknownType_KeepsTypeAndFieldsAndWritesThemBack()
    {
        var json = """{"id":"srvtoolu_1","type":"server_tool_use","name":"web_search","input":{"query":"q"}}""";

        var block = JsonSerializer.Deserialize(json, WireJsonContext.Default.ContentBlock)!;
        var written = JsonSerializer.Serialize(block, WireJsonContext.Default.ContentBlock);

        await Assert.That(block.GetType()).IsEqualTo(typeof(ContentBlock));
        await Assert.That(block.IsUnrecognized).IsTrue();
        await Assert.That(block.Type).IsEqualTo("server_tool_use");
        await Assert.That(block.Extra!.Keys).IsEquivalentTo(["id", "name", "input"]);
        await Assert.That(written).IsEqualTo("""{"type":"server_tool_use","id":"srvtoolu_1","name":"web_search","input":{"query":"q"}}""");
    }

    [Test]
    public async Task ContentBlock_TypeNotFirst_StillReadsTheKnownRecord()
    {
        var json = """{"cache_control":{"type":"ephemeral","ttl":"1h"},"text":"x","type":"text"}""";

        var block = JsonSerializer.Deserialize(json, WireJsonContext.Default.ContentBlock);

        await Assert.That(block is TextBlock { Text: "x", CacheControl.Ttl: "1h" }).IsTrue();
    }

    [Test]
    public async Task MessagesRequest_UnknownFields_SurviveARoundTrip()
    {
        var json = """{"model":"m","max_tokens":1,"messages":[{"role":"user","content":[{"type":"text","text":"a","citations":[]}],"x_msg":1}],"service_tier":"auto","container":{"id":"c"}}""";

        var request = Parse(json);
        var written = JsonSerializer.Serialize(request, WireJsonContext.Default.MessagesRequest);

        await Assert.That(request.Extra!.Keys).IsEquivalentTo(["service_tier", "container"]);
        await Assert.That(request.Messages[0].Extra!["x_msg"].GetInt32()).IsEqualTo(1);
        await Assert.That(request.Messages[0].Content!.Value![0].Extra!.ContainsKey("citations")).IsTrue();
        await Assert.That(written).IsEqualTo(json);
    }

    [Test]
    public async Task MessagesRequest_Serialize_UsesSnakeCaseAndOmitsNulls()
    {
        var request = new MessagesRequest
        {
            Model = "m",
            MaxTokens = 10,
            StopSequences = ["END"],
            TopK = 3,
            Thinking = new ThinkingConfig { BudgetTokens = 1024 },
            ToolChoice = new ToolChoice { Type = "tool", Name = "Read", DisableParallelToolUse = true },
            Messages = [new Message { Role = "user", Content = new() { Value = [new ToolResultBlock { ToolUseId = "t", Content = new() { Text = "r" } }] } }],
        };

        var written = JsonSerializer.Serialize(request, WireJsonContext.Default.MessagesRequest);

        await Assert.That(written).IsEqualTo(
            """{"model":"m","max_tokens":10,"messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":"r"}]}],"tool_choice":{"type":"tool","name":"Read","disable_parallel_tool_use":true},"thinking":{"type":"enabled","budget_tokens":1024},"stop_sequences":["END"],"top_k":3}""");
    }

    [Test]
    public async Task ToolChoice_EachType_ParsesNameOnlyForTool()
    {
        var json = """{"model":"m","messages":[],"tool_choice":{"type":"any"},"tools":[{"type":"web_search_20250305","name":"web_search","max_uses":5}]}""";

        var request = Parse(json);

        await Assert.That(request.ToolChoice!.Type).IsEqualTo("any");
        await Assert.That(request.ToolChoice.Name).IsNull();
        await Assert.That(request.MaxTokens).IsNull();
        await Assert.That(request.Tools![0].Type).IsEqualTo("web_search_20250305");
        await Assert.That(request.Tools[0].Extra!["max_uses"].GetInt32()).IsEqualTo(5);
    }
}
