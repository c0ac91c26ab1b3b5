using System.Text.Json;
using static Vdm.Tests.Conversion.Request.RequestConversion;

namespace Vdm.Tests.Conversion.Request;

/// <summary>System prompts, messages and content blocks (peers.md §3.1), each case named after what it checks.</summary>
public class MessageConversionTests
{
    [Test]
    public async Task System_String_BecomesTheFirstSystemMessage()
    {
        var body = Convert("""{"model":"x","system":"You are X","messages":[{"role":"user","content":"hi"}]}""");

        await Assert.That(body).IsEqualTo("""{"model":"m","messages":[{"role":"system","content":"You are X"},{"role":"user","content":"hi"}]}""");
    }

    [Test]
    public async Task System_TextBlocks_AreJoinedWithABlankLineAndLoseCacheControl()
    {
        var body = Convert("""{"system":[{"type":"text","text":"A"},{"type":"text","text":"B","cache_control":{"type":"ephemeral"}}],"messages":[]}""");

        await Assert.That(body).IsEqualTo("""{"model":"m","messages":[{"role":"system","content":"A\n\nB"}]}""");
    }

    [Test]
    public async Task SystemTurnInsideMessages_BecomesASystemMessageInItsPlace()
    {
        // Claude Code 2.1's per-turn instructions: a system turn between the others, as a string or text blocks.
        var body = Convert("""{"system":"S","messages":[{"role":"user","content":"hi"},{"role":"system","content":[{"type":"text","text":"Be brief."}]},{"role":"assistant","content":"ok"},{"role":"system","content":"Now in French."},{"role":"user","content":"go"}]}""",
            Context("groq"));

        await Assert.That(body).IsEqualTo("""{"model":"m","messages":[{"role":"system","content":"S"},{"role":"user","content":"hi"},{"role":"system","content":"Be brief."},{"role":"assistant","content":"ok"},{"role":"system","content":"Now in French."},{"role":"user","content":"go"}]}""");
    }

    [Test]
    [Arguments("custom")]
    [Arguments("mistral")]
    [Arguments("ollama")]
    public async Task SystemTurnsInsideMessages_ForProvidersThatWantTheSystemFirst_AreJoinedToTheSystemPrompt(string provider)
    {
        var body = Convert("""{"system":[{"type":"text","text":"S"}],"messages":[{"role":"user","content":"hi"},{"role":"system","content":[{"type":"text","text":"Be brief."}]},{"role":"assistant","content":"ok"},{"role":"system","content":"Now in French."},{"role":"user","content":"go"}]}""",
            Context(provider));

        await Assert.That(body).Contains("""{"role":"system","content":"S\n\nBe brief.\n\nNow in French."},{"role":"user","content":"hi"},{"role":"assistant","content":"ok"},{"role":"user","content":"go"}]""");
    }

    [Test]
    public async Task SystemTurnBetweenAToolCallAndItsResult_ToolMessageStillFollowsTheCall()
    {
        // OpenAI (and every strict server) refuses an assistant message with tool_calls that is not followed by the tool
        // messages answering it: "An assistant message with 'tool_calls' must be followed by tool messages".
        var body = Convert("""{"messages":[{"role":"user","content":"read it"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Read","input":{}}]},{"role":"system","content":"Per-turn note."},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"data"}]}]}""",
            Context("groq"));

        using var document = JsonDocument.Parse(body);
        var roles = document.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToList();
        var call = roles.IndexOf("assistant");

        await Assert.That(roles[call + 1]).IsEqualTo("tool");
    }

    [Test]
    public async Task System_ClaudeCodeBillingHeader_IsDropped()
    {
        var body = Convert("""{"system":[{"type":"text","text":"x-anthropic-billing-header: cc_version=2.0.1; cc_entrypoint=cli"},{"type":"text","text":"Real"}],"messages":[]}""");

        await Assert.That(body).IsEqualTo("""{"model":"m","messages":[{"role":"system","content":"Real"}]}""");
    }

    [Test]
    [Arguments("\"\"")]
    [Arguments("[]")]
    [Arguments("null")]
    [Arguments("[{\"type\":\"text\",\"text\":\"\"}]")]
    public async Task System_Empty_GivesNoSystemMessage(string system)
    {
        var body = Convert($$"""{"system":{{system}},"messages":[]}""");

        await Assert.That(body).IsEqualTo("""{"model":"m","messages":[]}""");
    }

    [Test]
    public async Task UserContent_String_StaysAString()
    {
        var messages = Messages("""[{"role":"user","content":"héllo \"q\" \u00e9"}]""");

        await Assert.That(messages).IsEqualTo("""[{"role":"user","content":"héllo \"q\" \u00e9"}]""");
    }

    [Test]
    public async Task UserContent_OnlyTextBlocks_IsJoinedIntoOneStringWithoutEmptyBlocks()
    {
        var messages = Messages("""[{"role":"user","content":[{"type":"text","text":"<system-reminder>r</system-reminder>"},{"type":"text","text":""},{"type":"text","text":"do it"}]}]""");

        await Assert.That(messages).IsEqualTo("""[{"role":"user","content":"<system-reminder>r</system-reminder>\n\ndo it"}]""");
    }

    [Test]
    public async Task UserContent_TextAndImage_BecomePartsInOrder()
    {
        var messages = Messages("""[{"role":"user","content":[{"type":"text","text":"see"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBOR"}},{"type":"text","text":"?"}]}]""");

        await Assert.That(messages).IsEqualTo(
            """[{"role":"user","content":[{"type":"text","text":"see"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBOR"}},{"type":"text","text":"?"}]}]""");
    }

    [Test]
    public async Task Image_DataAlreadyADataUrl_IsNotPrefixedTwice()
    {
        var messages = Messages("""[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"data:image/png;base64,AAA"}}]}]""");

        await Assert.That(messages).Contains("\"url\":\"data:image/png;base64,AAA\"");
        await Assert.That(messages).DoesNotContain("data:image/png;base64,data:");
    }

    [Test]
    public async Task Image_UrlSource_IsPassedAsTheUrl()
    {
        var messages = Messages("""[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]""");

        await Assert.That(messages).IsEqualTo("""[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]""");
    }

    [Test]
    public async Task Image_FilesApiSource_IsAClearError()
    {
        var (_, error, _) = Run("""{"messages":[{"role":"user","content":[{"type":"image","source":{"type":"file","file_id":"file_1"}}]}]}""");

        await Assert.That(error?.Message).IsEqualTo(
            "messages[0].content[0]: an image from the Files API (source.type \"file\") cannot be sent to an OpenAI-format provider");
    }

    [Test]
    public async Task Document_PdfForAProviderWithFileParts_BecomesAFilePart()
    {
        var messages = Messages(
            """[{"role":"user","content":[{"type":"document","title":"spec.pdf","source":{"type":"base64","media_type":"application/pdf","data":"JVBER"}}]}]""",
            context: Context("openai", "gpt-4o"));

        await Assert.That(messages).IsEqualTo(
            """[{"role":"user","content":[{"type":"file","file":{"filename":"spec.pdf","file_data":"data:application/pdf;base64,JVBER"}}]}]""");
    }

    [Test]
    public async Task Document_PdfForAProviderWithoutFileParts_IsAClearError()
    {
        var (_, error, _) = Run(
            """{"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBER"}}]}]}""",
            Context("deepseek", "deepseek-chat"));

        await Assert.That(error?.Type).IsEqualTo("invalid_request_error");
        await Assert.That(error?.Message).StartsWith("messages[0].content[0]: provider 'deepseek' cannot take PDF documents");
    }

    [Test]
    public async Task Document_TextSource_BecomesATextPart()
    {
        var messages = Messages("""[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"plain doc"}}]}]""");

        await Assert.That(messages).IsEqualTo("""[{"role":"user","content":[{"type":"text","text":"plain doc"}]}]""");
    }

    [Test]
    public async Task ToolResult_StringContent_BecomesAToolMessage()
    {
        var messages = Messages(ToolTurn("""{"type":"tool_result","tool_use_id":"toolu_1","content":"42"}"""));

        await Assert.That(messages).EndsWith("""{"role":"tool","tool_call_id":"toolu_1","content":"42"}]""");
    }

    [Test]
    public async Task ToolResult_TextBlocks_AreJoinedWithNewlines()
    {
        var messages = Messages(ToolTurn("""{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"a"},{"type":"text","text":"b"}]}"""));

        await Assert.That(messages).EndsWith("""{"role":"tool","tool_call_id":"toolu_1","content":"a\nb"}]""");
    }

    [Test]
    public async Task ToolResult_WithImage_KeepsTextInTheToolMessageAndMovesTheImageToAUserMessage()
    {
        var messages = Messages(ToolTurn(
            """{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"text","text":"shot"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"PNG"}}]}"""));

        await Assert.That(messages).EndsWith(
            """{"role":"tool","tool_call_id":"toolu_1","content":"shot"},{"role":"user","content":[{"type":"image_url","image_url":{"url":"data:image/png;base64,PNG"}}]}]""");
    }

    [Test]
    public async Task ToolResult_OnlyAnImage_SaysSoInTheToolMessage()
    {
        var messages = Messages(ToolTurn(
            """{"type":"tool_result","tool_use_id":"toolu_1","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"PNG"}}]}"""));

        await Assert.That(messages).Contains("""{"role":"tool","tool_call_id":"toolu_1","content":"[image]"}""");
    }

    [Test]
    public async Task ToolResult_IsError_IsKeptAsAnErrorPrefix()
    {
        var messages = Messages(ToolTurn("""{"type":"tool_result","tool_use_id":"toolu_1","is_error":true,"content":"file not found"}"""));

        await Assert.That(messages).EndsWith("""{"role":"tool","tool_call_id":"toolu_1","content":"Error: file not found"}]""");
    }

    [Test]
    public async Task ToolResult_WithoutContent_IsAnEmptyToolMessage()
    {
        var messages = Messages(ToolTurn("""{"type":"tool_result","tool_use_id":"toolu_1"}"""));

        await Assert.That(messages).EndsWith("""{"role":"tool","tool_call_id":"toolu_1","content":""}]""");
    }

    [Test]
    public async Task ToolResults_WithTextBeforeAndAfter_ComeFirstThenOneUserMessage()
    {
        var messages = Messages("""
            [{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"A","input":{}},{"type":"tool_use","id":"t2","name":"B","input":{}}]},
             {"role":"user","content":[{"type":"text","text":"before"},{"type":"tool_result","tool_use_id":"t1","content":"one"},{"type":"tool_result","tool_use_id":"t2","content":"two"},{"type":"text","text":"after"}]}]
            """);

        await Assert.That(messages).EndsWith(
            """{"role":"tool","tool_call_id":"t1","content":"one"},{"role":"tool","tool_call_id":"t2","content":"two"},{"role":"user","content":"before\n\nafter"}]""");
    }

    [Test]
    public async Task Assistant_SeveralToolUses_BecomeOneMessageWithToolCallsInOrderAndNullContent()
    {
        var messages = Messages("""[{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Read","input":{"file_path":"/a"}},{"type":"tool_use","id":"t2","name":"Bash","input":{"command":"ls -la","n":1}}]}]""");

        await Assert.That(messages).IsEqualTo(
            """[{"role":"assistant","tool_calls":[{"id":"t1","type":"function","function":{"name":"Read","arguments":"{\"file_path\":\"/a\"}"}},{"id":"t2","type":"function","function":{"name":"Bash","arguments":"{\"command\":\"ls -la\",\"n\":1}"}}],"content":null}]""");
    }

    [Test]
    public async Task Assistant_EmptyInput_GivesEmptyObjectArguments()
    {
        var messages = Messages("""[{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Now","input":{}}]}]""");

        await Assert.That(messages).Contains("\"arguments\":\"{}\"");
    }

    [Test]
    public async Task Assistant_PrettyPrintedInputWithEscapes_IsCompactedWithoutTouchingStrings()
    {
        var messages = Messages("""[{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"Write","input":{ "content" : "line1\nline \"2\" é\u00e9", "n" : [ 1, 2 ] }}]}]""");

        await Assert.That(messages).Contains("""
            "arguments":"{\"content\":\"line1\\nline \\\"2\\\" é\\u00e9\",\"n\":[1,2]}"
            """.Trim());
    }

    [Test]
    public async Task Assistant_TextToolText_JoinsTheTexts()
    {
        var messages = Messages("""[{"role":"assistant","content":[{"type":"text","text":"first"},{"type":"tool_use","id":"t1","name":"A","input":{}},{"type":"text","text":"second"}]}]""");

        await Assert.That(messages).EndsWith("\"content\":\"first\\n\\nsecond\"}]");
    }

    [Test]
    public async Task Assistant_ThinkingInHistory_IsDropped()
    {
        var messages = Messages("""[{"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},{"type":"redacted_thinking","data":"x"},{"type":"text","text":"answer"}]}]""");

        await Assert.That(messages).IsEqualTo("""[{"role":"assistant","content":"answer"}]""");
    }

    [Test]
    public async Task Assistant_ThinkingForDeepSeek_IsEchoedAsReasoningContent()
    {
        var messages = Messages(
            """[{"role":"assistant","content":[{"type":"thinking","thinking":"plan","signature":""},{"type":"tool_use","id":"t1","name":"A","input":{}}]}]""",
            context: Context("deepseek", "deepseek-reasoner"));

        await Assert.That(messages).EndsWith("\"content\":null,\"reasoning_content\":\"plan\"}]");
    }

    [Test]
    public async Task Assistant_OnlyThinking_HasEmptyContentRatherThanNone()
    {
        var messages = Messages("""[{"role":"assistant","content":[{"type":"thinking","thinking":"t","signature":"s"}]}]""");

        await Assert.That(messages).IsEqualTo("""[{"role":"assistant","content":""}]""");
    }

    [Test]
    public async Task UnknownBlockType_IsDroppedWithANote()
    {
        var (_, error, notes) = Run("""{"messages":[{"role":"user","content":[{"type":"text","text":"a"},{"type":"search_result","source":"s"}]}]}""");

        await Assert.That(error).IsNull();
        await Assert.That(notes).IsEquivalentTo(["messages[0].content[1]: dropped a 'search_result' block, which OpenAI-format providers cannot take"]);
    }

    private static string ToolTurn(string toolResult) =>
        """[{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Calc","input":{}}]},{"role":"user","content":[""" + toolResult + "]}]";

    [Test]
    public async Task Document_Base64NotPdf_SaysWhichMediaTypesWork()
    {
        var (_, error, _) = Run("""{"messages":[{"role":"user","content":[{"type":"document","source":{"type":"base64","media_type":"application/msword","data":"AAA"}}]}]}""",
            Context("openai", "gpt-4o"));

        await Assert.That(error?.Message).IsEqualTo(
            "messages[0].content[0].source.media_type: only PDF documents (application/pdf) and text documents can be sent to an OpenAI-format provider");
    }
}
