using System.Buffers;
using System.Text;
using Vdm.Conversion;
using Vdm.Conversion.Response;

namespace Vdm.Tests.Conversion.Response;

public class OpenAIToAnthropicResponseTests
{
    private static readonly ConversionContext Context = new("sonnet", "gpt-4o", "openai");

    /// <summary>Converts with ids minted as id1, id2, … so golden outputs are exact.</summary>
    private static (string Body, ConversionError? Error) Convert(string openAI, ConversionContext? context = null)
    {
        var next = 0;
        var output = new ArrayBufferWriter<byte>();
        var error = OpenAIToAnthropicResponse.Write(Encoding.UTF8.GetBytes(openAI), context ?? Context, output, () => $"id{++next}");
        return (Encoding.UTF8.GetString(output.WrittenSpan), error);
    }

    private static string Completion(string message, string finishReason = "\"stop\"", string usage = "") =>
        $$"""{"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o","choices":[{"index":0,"message":{{message}},"finish_reason":{{finishReason}}}]{{usage}}}""";

    private const string NoUsage = "\"usage\":{\"input_tokens\":0,\"output_tokens\":0,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0}";

    [Test]
    public async Task Write_TextContent_BecomesOneTextBlock()
    {
        const string openAI = """
            {"id":"chatcmpl-abc","object":"chat.completion","created":1741569952,"model":"gpt-4o-2024-08-06",
             "choices":[{"index":0,"message":{"role":"assistant","content":"Hello, ünïcode 你好","refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"stop"}],
             "usage":{"prompt_tokens":19,"completion_tokens":10,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":0,"audio_tokens":0}},
             "service_tier":"default"}
            """;

        var (body, error) = Convert(openAI);

        await Assert.That(error).IsNull();
        await Assert.That(body).IsEqualTo("""{"id":"chatcmpl-abc","type":"message","role":"assistant","model":"sonnet","content":[{"type":"text","text":"Hello, ünïcode 你好"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":19,"output_tokens":10,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}""");
    }

    [Test]
    public async Task Write_NullContentWithToolCalls_GivesOnlyToolUseBlocks()
    {
        const string openAI = """
            {"id":"chatcmpl-t","choices":[{"index":0,"message":{"role":"assistant","content":null,"tool_calls":[
              {"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\": \"Paris\", \"days\": 3}"}},
              {"id":"call_2","type":"function","function":{"name":"Read","arguments":"{\"path\":\"a\\\\b.txt\"}"}}]},"finish_reason":"tool_calls"}],
             "usage":{"prompt_tokens":100,"completion_tokens":20}}
            """;

        var (body, error) = Convert(openAI);

        await Assert.That(error).IsNull();
        await Assert.That(body).IsEqualTo("""{"id":"chatcmpl-t","type":"message","role":"assistant","model":"sonnet","content":[{"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris","days":3}},{"type":"tool_use","id":"call_2","name":"Read","input":{"path":"a\\b.txt"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":100,"output_tokens":20,"cache_creation_input_tokens":0,"cache_read_input_tokens":0}}""");
    }

    [Test]
    [Arguments("""{"role":"assistant","content":null}""")]
    [Arguments("""{"role":"assistant","content":""}""")]
    [Arguments("""{"role":"assistant"}""")]
    [Arguments("null")]
    public async Task Write_NoContentAtAll_GivesAnEmptyContentArray(string message)
    {
        var (body, error) = Convert(Completion(message));

        await Assert.That(error).IsNull();
        await Assert.That(body).IsEqualTo($$"""{"id":"chatcmpl-1","type":"message","role":"assistant","model":"sonnet","content":[],"stop_reason":"end_turn","stop_sequence":null,{{NoUsage}}}""");
    }

    [Test]
    public async Task Write_ReasoningTextAndToolCall_OrdersThinkingThenTextThenToolUse()
    {
        const string message = """{"role":"assistant","tool_calls":[{"id":"call_9","type":"function","function":{"name":"ls","arguments":"{}"}}],"content":"Let me look.","reasoning_content":"The user wants a listing."}""";

        var (body, error) = Convert(Completion(message, "\"tool_calls\""));

        await Assert.That(error).IsNull();
        await Assert.That(body).IsEqualTo($$$"""{"id":"chatcmpl-1","type":"message","role":"assistant","model":"sonnet","content":[{"type":"thinking","thinking":"The user wants a listing.","signature":""},{"type":"text","text":"Let me look."},{"type":"tool_use","id":"call_9","name":"ls","input":{}}],"stop_reason":"tool_use","stop_sequence":null,{{{NoUsage}}}}""");
    }

    [Test]
    [Arguments("""{"content":"ok","reasoning_content":"deep"}""", "deep", "")]
    [Arguments("""{"content":"ok","reasoning":"deep"}""", "deep", "")]
    [Arguments("""{"content":"ok","reasoning_details":[{"type":"reasoning.text","text":"de","format":"x"},{"type":"reasoning.text","text":"ep"}]}""", "deep", "")]
    [Arguments("""{"content":"ok","reasoning_details":[{"type":"reasoning.text","text":"deep","signature":"sig=="}]}""", "deep", "sig==")]
    [Arguments("""{"content":"ok","reasoning":"deep","reasoning_details":[{"type":"reasoning.text","text":"deep"}]}""", "deep", "")]
    [Arguments("""{"content":"ok","reasoning_content":"first","reasoning":"second"}""", "first", "")]
    public async Task Write_ReasoningFields_BecomeOneThinkingBlock(string message, string thinking, string signature)
    {
        var (body, error) = Convert(Completion(message));

        await Assert.That(error).IsNull();
        await Assert.That(body).Contains($$"""
            "content":[{"type":"thinking","thinking":"{{thinking}}","signature":"{{signature}}"},{"type":"text","text":"ok"}]
            """);
    }

    [Test]
    [Arguments("""{"content":"ok","reasoning_content":""}""")]
    [Arguments("""{"content":"ok","reasoning":{"effort":"high"}}""")]
    [Arguments("""{"content":"ok","reasoning_details":[{"type":"reasoning.encrypted","data":"xyz"}]}""")]
    public async Task Write_EmptyOrUnknownReasoning_AddsNoThinkingBlock(string message)
    {
        var (body, error) = Convert(Completion(message));

        await Assert.That(error).IsNull();
        await Assert.That(body).Contains("""
            "content":[{"type":"text","text":"ok"}]
            """);
    }

    [Test]
    [Arguments("{\\\"a\\\":1,}", """{"a":1}""")]
    [Arguments("{\\\"a\\\":[1,2,],\\\"b\\\":{\\\"c\\\":true,},}", """{"a":[1,2],"b":{"c":true}}""")]
    [Arguments("{\\\"a\\\":1 // the count\\n}", """{"a":1}""")]
    [Arguments("{\\\"a\\\":{\\\"b\\\":[1,2", """{"a":{"b":[1,2]}}""")]
    [Arguments("{\\\"q\\\":\\\"x}]\\\"", """{"q":"x}]"}""")]
    [Arguments("\\\"{\\\\\\\"a\\\\\\\":1}\\\"", """{"a":1}""")]
    [Arguments("  {\\\"a\\\" :  1.50e3 }  ", """{"a":1.50e3}""")]
    public async Task Write_RepairableArguments_AreRepaired(string arguments, string input)
    {
        var message = $$$"""{"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{{{arguments}}}"}}]}""";

        var (body, error) = Convert(Completion(message));

        await Assert.That(error).IsNull();
        await Assert.That(body).Contains($$"""
            "input":{{input}}}]
            """);
    }

    [Test]
    [Arguments("{\\\"a\\\":", "not valid JSON")]
    [Arguments("{\\\"a\\\":\\\"unterminated", "not valid JSON")]
    [Arguments("{'a': 1}", "not valid JSON")]
    [Arguments("not json at all", "not valid JSON")]
    [Arguments("{\\\"a\\\":1}}", "not valid JSON")]
    [Arguments("[1]", "not a JSON object")]
    [Arguments("5", "not a JSON object")]
    [Arguments("\\\"text\\\"", "not a JSON object")]
    [Arguments("null", "not a JSON object")]
    public async Task Write_UnrepairableArguments_ReturnsAnApiErrorAndInventsNothing(string arguments, string problem)
    {
        var message = $$$"""{"content":"hi","tool_calls":[{"id":"c","type":"function","function":{"name":"Edit","arguments":"{{{arguments}}}"}}]}""";

        var (body, error) = Convert(Completion(message));

        await Assert.That(error?.Type).IsEqualTo("api_error");
        await Assert.That(error?.Message).StartsWith("upstream returned invalid tool arguments for Edit: they are " + problem);
        await Assert.That(body).IsEmpty();
    }

    [Test]
    public async Task Write_ArgumentsAlreadyAnObject_AreUsedAsInput()
    {
        const string message = """{"tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":{ "a" : [1, {"b":"\u00e9\n"}], "n":null }}}]}""";

        var (body, error) = Convert(Completion(message));

        await Assert.That(error).IsNull();
        await Assert.That(body).Contains("""
            "input":{"a":[1,{"b":"é\n"}],"n":null}}]
            """);
    }

    [Test]
    [Arguments("\"arguments\":\"\"")]
    [Arguments("\"arguments\":\"  \"")]
    [Arguments("\"arguments\":null")]
    [Arguments("\"x\":1")]
    public async Task Write_EmptyArguments_GiveAnEmptyInputObject(string arguments)
    {
        var message = $$$"""{"tool_calls":[{"id":"c","type":"function","function":{"name":"f",{{{arguments}}}}}]}""";

        var (body, error) = Convert(Completion(message));

        await Assert.That(error).IsNull();
        await Assert.That(body).Contains("""
            {"type":"tool_use","id":"c","name":"f","input":{}}
            """);
    }

    [Test]
    public async Task Write_SeveralChoices_UsesIndexZero()
    {
        const string openAI = """{"id":"x","choices":[{"index":1,"message":{"content":"second"},"finish_reason":"length"},{"index":0,"message":{"content":"first"},"finish_reason":"stop"}]}""";

        var (body, error) = Convert(openAI);

        await Assert.That(error).IsNull();
        await Assert.That(body).Contains("""
            "content":[{"type":"text","text":"first"}],"stop_reason":"end_turn"
            """);
    }

    [Test]
    public async Task Write_SeveralChoicesWithoutIndexes_UsesTheFirst()
    {
        const string openAI = """{"id":"x","choices":[{"message":{"content":"first"}},{"message":{"content":"second"}}]}""";

        var (body, _) = Convert(openAI);

        await Assert.That(body).Contains("""
            "text":"first"
            """);
    }

    [Test]
    [Arguments("""{"choices":[],"error":{"message":"Rate limit exceeded: free-models-per-day","code":429}}""", "rate_limit_error", "Rate limit exceeded: free-models-per-day", 429)]
    [Arguments("""{"error":{"message":"upstream crashed"}}""", "api_error", "upstream crashed", 502)]
    [Arguments("""{"id":"x","choices":null,"error":"boom"}""", "api_error", "boom", 502)]
    [Arguments("""{"choices":[],"error":{"code":"context_length_exceeded","message":"This model's maximum context length is 8192 tokens. However, your messages resulted in 9000 tokens."}}""", "invalid_request_error", "prompt is too long: 9000 tokens > 8192 maximum", 400)]
    public async Task Write_NoChoicesAndAnError_ReturnsTheMappedErrorWithItsStatus(string openAI, string type, string message, int status)
    {
        var (body, error) = Convert(openAI);

        await Assert.That(error).IsEqualTo(new ConversionError(type, message, status));
        await Assert.That(body).IsEmpty();
    }

    [Test]
    public async Task Write_ErrorBesideAUsableChoice_KeepsTheAnswer()
    {
        var (body, error) = Convert("""{"error":null,"choices":[{"message":{"content":"fine"}}]}""");

        await Assert.That(error).IsNull();
        await Assert.That(body).Contains("\"text\":\"fine\"");
    }

    [Test]
    [Arguments("""{"id":"chatcmpl-e","choices":[]}""")]
    [Arguments("""{"id":"chatcmpl-e"}""")]
    public async Task Write_NoChoicesWithoutError_GivesAnEmptyEndTurnMessage(string openAI)
    {
        var (body, error) = Convert(openAI);

        await Assert.That(error).IsNull();
        await Assert.That(body).IsEqualTo($$"""{"id":"chatcmpl-e","type":"message","role":"assistant","model":"sonnet","content":[],"stop_reason":"end_turn","stop_sequence":null,{{NoUsage}}}""");
    }

    [Test]
    [Arguments("\"stop\"", false, "end_turn")]
    [Arguments("\"length\"", false, "max_tokens")]
    [Arguments("\"tool_calls\"", true, "tool_use")]
    [Arguments("\"function_call\"", true, "tool_use")]
    [Arguments("\"content_filter\"", false, "refusal")]
    [Arguments("null", false, "end_turn")]
    [Arguments("\"eos\"", false, "end_turn")]
    [Arguments("\"stop\"", true, "tool_use")]
    public async Task Write_FinishReason_MapsToStopReason(string finishReason, bool withToolCall, string stopReason)
    {
        var message = withToolCall
            ? """{"content":"a","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{}"}}]}"""
            : """{"content":"a"}""";

        var (body, _) = Convert(Completion(message, finishReason));

        await Assert.That(body).Contains($"\"stop_reason\":\"{stopReason}\",\"stop_sequence\":null");
    }

    [Test]
    public async Task Write_LegacyFunctionCall_BecomesAToolUseWithAMintedId()
    {
        const string message = """{"content":null,"function_call":{"name":"f","arguments":"{\"a\":1}"}}""";

        var (body, _) = Convert(Completion(message, "\"function_call\""));

        await Assert.That(body).Contains("""
            "content":[{"type":"tool_use","id":"toolu_id1","name":"f","input":{"a":1}}],"stop_reason":"tool_use"
            """);
    }

    [Test]
    public async Task Write_Refusal_BecomesATextBlockWithRefusalStop()
    {
        const string message = """{"role":"assistant","content":null,"refusal":"I can't help with that."}""";

        var (body, error) = Convert(Completion(message));

        await Assert.That(error).IsNull();
        await Assert.That(body).Contains("""
            "content":[{"type":"text","text":"I can't help with that."}],"stop_reason":"refusal"
            """);
    }

    [Test]
    public async Task Write_UrlCitationAnnotations_KeepTheTextAndDropTheAnnotations()
    {
        const string message = """{"content":"See example.com.","annotations":[{"type":"url_citation","url_citation":{"url":"https://example.com","title":"Example","start_index":4,"end_index":15}}]}""";

        var (body, error) = Convert(Completion(message));

        await Assert.That(error).IsNull();
        await Assert.That(body).Contains("""
            "content":[{"type":"text","text":"See example.com."}]
            """);
    }

    [Test]
    [Arguments(""","usage":{"prompt_tokens":1000,"completion_tokens":50,"prompt_tokens_details":{"cached_tokens":800}}""", 200, 50, 0, 800)]
    [Arguments(""","usage":{"prompt_tokens":1000,"completion_tokens":50,"prompt_tokens_details":{"cached_tokens":600,"cache_write_tokens":300}}""", 100, 50, 300, 600)]
    [Arguments(""","usage":{"prompt_tokens":1000,"completion_tokens":5,"cache_creation_input_tokens":250,"cache_read_input_tokens":700}""", 50, 5, 250, 700)]
    [Arguments(""","usage":{"prompt_tokens":1000,"completion_tokens":5,"prompt_cache_hit_tokens":900,"prompt_cache_miss_tokens":100}""", 100, 5, 0, 900)]
    [Arguments(""","usage":{"prompt_tokens":10,"completion_tokens":5,"prompt_tokens_details":{"cached_tokens":64}}""", 0, 5, 0, 64)]
    [Arguments(""","usage":{"prompt_tokens":12.0,"completion_tokens":"7","prompt_tokens_details":null}""", 12, 0, 0, 0)]
    [Arguments(""","usage":null""", 0, 0, 0, 0)]
    [Arguments("", 0, 0, 0, 0)]
    public async Task Write_Usage_SplitsPromptTokensIntoInputAndCache(string usage, int input, int output, int creation, int read)
    {
        var (body, error) = Convert(Completion("""{"content":"a"}""", usage: usage));

        await Assert.That(error).IsNull();
        await Assert.That(body).EndsWith($$$"""
            "usage":{"input_tokens":{{{input}}},"output_tokens":{{{output}}},"cache_creation_input_tokens":{{{creation}}},"cache_read_input_tokens":{{{read}}}}}
            """);
    }

    [Test]
    [Arguments("""{"id":"","choices":[]}""")]
    [Arguments("""{"id":null,"choices":[]}""")]
    [Arguments("""{"id":7,"choices":[]}""")]
    [Arguments("""{"choices":[]}""")]
    public async Task Write_NoUsableUpstreamId_MintsAMessageId(string openAI)
    {
        var (body, _) = Convert(openAI);

        await Assert.That(body).StartsWith("""{"id":"msg_id1","type":"message","role":"assistant","model":"sonnet","content":[],"stop_reason":"end_turn","stop_sequence":null""");
    }

    [Test]
    public async Task Write_DefaultIdSource_MintsRandomIds()
    {
        var output = new ArrayBufferWriter<byte>();
        const string openAI = """{"choices":[{"message":{"tool_calls":[{"type":"function","function":{"name":"f","arguments":""}}]}}]}""";

        var error = OpenAIToAnthropicResponse.Write(Encoding.UTF8.GetBytes(openAI), Context, output);
        var body = Encoding.UTF8.GetString(output.WrittenSpan);

        await Assert.That(error).IsNull();
        await Assert.That(body).Matches("""^\{"id":"msg_[A-Za-z0-9]{24}",.*"id":"toolu_[A-Za-z0-9]{24}","name":"f",""");
    }

    [Test]
    public async Task Write_ShortenedToolName_MapsBackToTheClientsName()
    {
        var longName = "mcp__" + new string('x', 70) + "__read_file";
        var names = ToolNameMap.Create([longName, "Bash"]);
        var message = $$$"""{"tool_calls":[{"id":"a","type":"function","function":{"name":"{{{names.ToUpstream(longName)}}}","arguments":"{}"}},{"id":"b","type":"function","function":{"name":"Bash","arguments":"{}"}},{"id":"c","type":"function","function":{"name":"unknown_tool","arguments":"{}"}}]}""";

        var (body, error) = Convert(Completion(message), Context with { ToolNames = names });

        await Assert.That(names.ToUpstream(longName)).IsNotEqualTo(longName);
        await Assert.That(error).IsNull();
        await Assert.That(body).Contains($$$"""
            "content":[{"type":"tool_use","id":"a","name":"{{{longName}}}","input":{}},{"type":"tool_use","id":"b","name":"Bash","input":{}},{"type":"tool_use","id":"c","name":"unknown_tool","input":{}}]
            """);
    }

    [Test]
    [Arguments("""{"id":"x","choices":[{"message":{"content":"a"}}""")]
    [Arguments("""{"id":"x","choices":[{"message":{"content":"a""")]
    [Arguments("")]
    [Arguments("   ")]
    [Arguments("[1,2]")]
    [Arguments("\"text\"")]
    [Arguments("<html>502 Bad Gateway</html>")]
    [Arguments("""{"choices":[]} trailing""")]
    [Arguments("""{"choices":{}}""")]
    [Arguments("""{"choices":[5]}""")]
    [Arguments("""{"choices":[{"message":"hello"}]}""")]
    [Arguments("""{"choices":[{"message":{"content":5}}]}""")]
    [Arguments("""{"choices":[{"message":{"content":{"text":"a"}}}]}""")]
    [Arguments("""{"choices":[{"message":{"content":[5]}}]}""")]
    [Arguments("""{"choices":[{"message":{"refusal":true}}]}""")]
    [Arguments("""{"choices":[{"message":{"tool_calls":{}}}]}""")]
    [Arguments("""{"choices":[{"message":{"tool_calls":["x"]}}]}""")]
    [Arguments("""{"choices":[{"message":{"tool_calls":[{"id":"a"}]}}]}""")]
    [Arguments("""{"choices":[{"message":{"tool_calls":[{"id":5,"function":{"name":"f"}}]}}]}""")]
    [Arguments("""{"choices":[{"message":{"tool_calls":[{"function":{"arguments":"{}"}}]}}]}""")]
    [Arguments("""{"choices":[{"message":{"tool_calls":[{"function":{"name":42}}]}}]}""")]
    [Arguments("""{"choices":[{"message":{"tool_calls":[{"function":{"name":"f","arguments":5}}]}}]}""")]
    [Arguments("""{"choices":[{"message":{"tool_calls":[{"function":{"name":"f","arguments":[1]}}]}}]}""")]
    [Arguments("""{"choices":[{"message":{"tool_calls":[{"function":"f"}]}}]}""")]
    [Arguments("""{"choices":[{"finish_reason":3}]}""")]
    public async Task Write_MalformedResponse_ReturnsAnApiErrorWithoutThrowing(string openAI)
    {
        var (body, error) = Convert(openAI);

        await Assert.That(error?.Type).IsEqualTo("api_error");
        await Assert.That(error?.Message).StartsWith("upstream returned an invalid response: ");
        await Assert.That(body).IsEmpty();
    }

    [Test]
    public async Task Write_ContentAsTextParts_JoinsTheirText()
    {
        const string message = """{"content":[{"type":"text","text":"Hello "},{"type":"image_url","image_url":{"url":"x"}},{"type":"text","text":"world"}]}""";

        var (body, _) = Convert(Completion(message));

        await Assert.That(body).Contains("""
            "content":[{"type":"text","text":"Hello world"}]
            """);
    }

    [Test]
    public async Task Write_ResponseCutAtEveryByte_NeverThrows()
    {
        const string openAI = """{"id":"c","choices":[{"index":0,"message":{"content":"hi","reasoning_content":"r","tool_calls":[{"id":"t","type":"function","function":{"name":"f","arguments":"{\"a\":[1,{\"b\":\"x\"}]}"}}]},"finish_reason":"tool_calls"}],"usage":{"prompt_tokens":3,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":1}}}""";
        var failures = 0;

        for (var length = 0; length < openAI.Length; length++)
        {
            var (body, error) = Convert(openAI[..length]);
            failures += error is { Type: "api_error" } && body.Length == 0 ? 0 : 1;
        }

        await Assert.That(failures).IsEqualTo(0);
        await Assert.That(Convert(openAI).Error).IsNull();
    }
}
