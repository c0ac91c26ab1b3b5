using System.Text.Json;
using Vdm.Gateway.Endpoints;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>The Messages body's shape, checked before routing: required fields, top-level kinds, roles and contents.</summary>
public class MessagesRequestValidationTests
{
    private const string Hi = """[{"role":"user","content":"Hi"}]""";

    private static string? Problem(string json, bool maxTokensRequired = true)
    {
        using var document = JsonDocument.Parse(json);
        return MessagesRequestValidation.Problem(document.RootElement, maxTokensRequired);
    }

    [Test]
    public async Task Problem_ClaudeCodeRequest_IsNone()
    {
        using var document = JsonDocument.Parse(GoldenFile.ReadInput("claude-code-request.json"));

        await Assert.That(MessagesRequestValidation.Problem(document.RootElement, maxTokensRequired: true)).IsNull();
    }

    [Test]
    public async Task Problem_SystemTurnInsideMessages_IsNone()
    {
        using var document = JsonDocument.Parse("""{"model":"m","max_tokens":5,"messages":[{"role":"user","content":"hi"},{"role":"system","content":"Be brief."}]}""");

        await Assert.That(MessagesRequestValidation.Problem(document.RootElement, maxTokensRequired: true)).IsNull();
    }

    [Test]
    public async Task Problem_ValidRequest_AllocatesNothing()
    {
        using var document = JsonDocument.Parse(GoldenFile.ReadInput("claude-code-request.json"));
        MessagesRequestValidation.Problem(document.RootElement, maxTokensRequired: true);

        var before = GC.GetAllocatedBytesForCurrentThread();
        MessagesRequestValidation.Problem(document.RootElement, maxTokensRequired: true);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        await Assert.That(allocated).IsEqualTo(0);
    }

    [Test]
    [Arguments("""{"messages":[{"role":"user","content":"Hi"}],"max_tokens":1}""", "model: Field required")]
    [Arguments("""{"model":"m","max_tokens":1}""", "messages: Field required")]
    [Arguments("""{"model":"m","messages":[{"role":"user","content":"Hi"}]}""", "max_tokens: Field required")]
    public async Task Problem_MissingRequiredField_NamesIt(string json, string expected)
    {
        await Assert.That(Problem(json)).IsEqualTo(expected);
    }

    [Test]
    public async Task Problem_CountTokensWithoutMaxTokens_IsNone()
    {
        await Assert.That(Problem($$"""{"model":"m","messages":{{Hi}}}""", maxTokensRequired: false)).IsNull();
        await Assert.That(Problem($$"""{"model":"m","max_tokens":null,"messages":{{Hi}}}""", maxTokensRequired: false)).IsNull();
    }

    [Test]
    [Arguments("0")]
    [Arguments("-5")]
    [Arguments("1.5")]
    [Arguments("1e400")]
    [Arguments("\"100\"")]
    [Arguments("null")]
    public async Task Problem_MaxTokensNotAPositiveInteger_NamesIt(string value)
    {
        await Assert.That(Problem($$"""{"model":"m","max_tokens":{{value}},"messages":{{Hi}}}""")).IsEqualTo("max_tokens: must be a positive integer");
        await Assert.That(Problem($$"""{"model":"m","max_tokens":{{value}},"messages":{{Hi}}}""", maxTokensRequired: false))
            .IsEqualTo(value == "null" ? null : "max_tokens: must be a positive integer");
    }

    [Test]
    [Arguments("\"model\":5", "model: Input should be a valid string")]
    [Arguments("\"stream\":\"yes\"", "stream: Input should be a valid boolean")]
    [Arguments("\"temperature\":\"hot\"", "temperature: Input should be a valid number")]
    [Arguments("\"top_p\":[]", "top_p: Input should be a valid number")]
    [Arguments("\"top_k\":true", "top_k: Input should be a valid number")]
    [Arguments("\"stop_sequences\":\"END\"", "stop_sequences: Input should be a valid list")]
    [Arguments("\"stop_sequences\":[\"a\",1]", "stop_sequences.1: Input should be a valid string")]
    [Arguments("\"system\":5", "system: Input should be a valid string or list of text blocks")]
    [Arguments("\"system\":[\"text\"]", "system.0: Input should be a valid object")]
    [Arguments("\"tools\":{}", "tools: Input should be a valid list")]
    [Arguments("\"tools\":[{},[]]", "tools.1: Input should be a valid object")]
    [Arguments("\"tool_choice\":\"auto\"", "tool_choice: Input should be a valid object")]
    [Arguments("\"metadata\":[]", "metadata: Input should be a valid object")]
    [Arguments("\"thinking\":true", "thinking: Input should be a valid object")]
    public async Task Problem_TopLevelFieldOfTheWrongKind_NamesIt(string field, string expected)
    {
        await Assert.That(Problem($$"""{"model":"m","max_tokens":1,"messages":{{Hi}},{{field}}}""")).IsEqualTo(expected);
    }

    [Test]
    [Arguments("\"stream\":null")]
    [Arguments("\"system\":null")]
    [Arguments("\"system\":\"Be brief\"")]
    [Arguments("\"tools\":[]")]
    [Arguments("\"unknown_field\":{\"a\":[1]}")]
    public async Task Problem_OptionalFieldNullOrRightOrUnknown_IsNone(string field)
    {
        await Assert.That(Problem($$"""{"model":"m","max_tokens":1,"messages":{{Hi}},{{field}}}""")).IsNull();
    }

    [Test]
    [Arguments("{}", "messages: Input should be a valid list")]
    [Arguments("[]", "messages: at least one message is required")]
    [Arguments("[\"Hi\"]", "messages.0: Input should be a valid object")]
    [Arguments("[{\"content\":\"Hi\"}]", "messages.0.role: Field required")]
    [Arguments("[{\"role\":\"tool\",\"content\":\"Hi\"}]", "messages.0.role: Input should be 'user', 'assistant' or 'system'")]
    [Arguments("[{\"role\":null,\"content\":\"Hi\"}]", "messages.0.role: Input should be 'user', 'assistant' or 'system'")]
    [Arguments("[{\"role\":\"user\"}]", "messages.0.content: Field required")]
    [Arguments("[{\"role\":\"user\",\"content\":5}]", "messages.0.content: Input should be a valid string or list of content blocks")]
    [Arguments("[{\"role\":\"user\",\"content\":\"a\"},{\"role\":\"assistant\",\"content\":[\"b\"]}]", "messages.1.content.0: Input should be a valid content block object")]
    [Arguments("[{\"role\":\"user\",\"content\":[{\"text\":\"a\"}]}]", "messages.0.content.0.type: Field required")]
    [Arguments("[{\"role\":\"user\",\"content\":[{\"type\":7}]}]", "messages.0.content.0.type: Input should be a valid string")]
    public async Task Problem_BadMessages_NameTheMessageAndField(string messages, string expected)
    {
        await Assert.That(Problem($$"""{"model":"m","max_tokens":1,"messages":{{messages}}}""")).IsEqualTo(expected);
    }

    [Test]
    public async Task Problem_FieldGivenTwice_ChecksBoth()
    {
        await Assert.That(Problem("""{"model":"m","max_tokens":1,"messages":""" + Hi + ""","messages":{}}""")).IsEqualTo("messages: Input should be a valid list");
        await Assert.That(Problem("""{"model":"m","max_tokens":1,"messages":{},"messages":""" + Hi + "}")).IsEqualTo("messages: Input should be a valid list");
    }
}
