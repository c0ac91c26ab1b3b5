using Vdm.Conversion;
using static Vdm.Tests.Conversion.Request.RequestConversion;

namespace Vdm.Tests.Conversion.Request;

/// <summary>Request parameters (peers.md §3.2), each case named after what it checks.</summary>
public class ParameterConversionTests
{
    private const string Messages = "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
    private const string Expected = "{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";

    [Test]
    public async Task Model_IsTheUpstreamModelWhateverTheClientAskedFor()
    {
        var body = Convert($$"""{"model":"openai:gpt-4o",{{Messages}}}""", new ConversionContext("openai:gpt-4o", "gpt-4o", "custom"));

        await Assert.That(body).IsEqualTo(Expected.Replace("\"m\"", "\"gpt-4o\"", StringComparison.Ordinal) + "}");
    }

    [Test]
    public async Task MaxTokens_GenericProvider_KeepsItsName()
    {
        var body = Convert($$"""{"max_tokens":32000,{{Messages}}}""");

        await Assert.That(body).IsEqualTo(Expected + ",\"max_tokens\":32000}");
    }

    [Test]
    public async Task MaxTokens_OpenAI_IsSentAsMaxCompletionTokens()
    {
        var body = Convert($$"""{"max_tokens":32000,{{Messages}}}""", Context("openai", "gpt-5"));

        await Assert.That(body).IsEqualTo(Expected.Replace("\"m\"", "\"gpt-5\"", StringComparison.Ordinal) + ",\"max_completion_tokens\":32000}");
    }

    [Test]
    public async Task MaxTokens_AboveTheConfiguredCap_IsClamped()
    {
        var body = Convert($$"""{"max_tokens":64000,{{Messages}}}""", new ConversionContext("a", "m", "custom", MaxTokensLimit: 8192));

        await Assert.That(body).EndsWith(",\"max_tokens\":8192}");
    }

    [Test]
    public async Task MaxTokens_BelowTheConfiguredFloor_IsRaised()
    {
        var body = Convert($$"""{"max_tokens":5,{{Messages}}}""", new ConversionContext("a", "m", "custom", MinTokensLimit: 100));

        await Assert.That(body).EndsWith(",\"max_tokens\":100}");
    }

    [Test]
    public async Task MaxTokens_WithoutLimits_IsNeverChanged()
    {
        var body = Convert($$"""{"max_tokens":128000,{{Messages}}}""");

        await Assert.That(body).EndsWith(",\"max_tokens\":128000}");
    }

    [Test]
    [Arguments("\"many\"")]
    [Arguments("0")]
    [Arguments("1.5")]
    public async Task MaxTokens_NotAPositiveInteger_IsAnInvalidRequest(string value)
    {
        var (_, error, _) = Run($$"""{"max_tokens":{{value}},{{Messages}}}""");

        await Assert.That(error).IsEqualTo(new ConversionError("invalid_request_error", "max_tokens: must be a positive integer"));
    }

    [Test]
    public async Task TemperatureAndTopP_AreCopiedExactly()
    {
        var body = Convert($$"""{"temperature":0.70,"top_p":1e-1,{{Messages}}}""");

        await Assert.That(body).EndsWith(",\"temperature\":0.70,\"top_p\":1e-1}");
    }

    [Test]
    public async Task TopK_ForOpenAI_IsDroppedWithANote()
    {
        var (body, _, notes) = Run($$"""{"top_k":40,{{Messages}}}""", Context("openai", "gpt-4o"));

        await Assert.That(body).DoesNotContain("top_k");
        await Assert.That(notes).IsEquivalentTo(["top_k: dropped, provider 'openai' does not take it"]);
    }

    [Test]
    public async Task TopK_ForOllama_IsKept()
    {
        var body = Convert($$"""{"top_k":40,{{Messages}}}""", Context("ollama", "qwen2.5:7b"));

        await Assert.That(body).EndsWith(",\"top_k\":40}");
    }

    [Test]
    public async Task StopSequences_BecomeStop()
    {
        var body = Convert($$"""{"stop_sequences":["\n\nHuman:","END"],{{Messages}}}""");

        await Assert.That(body).EndsWith(",\"stop\":[\"\\n\\nHuman:\",\"END\"]}");
    }

    [Test]
    public async Task StopSequences_MoreThanFour_KeepTheFirstFourWithANote()
    {
        var (body, _, notes) = Run($$"""{"stop_sequences":["a","b","c","d","e"],{{Messages}}}""");

        await Assert.That(body).EndsWith(",\"stop\":[\"a\",\"b\",\"c\",\"d\"]}");
        await Assert.That(notes.Count).IsEqualTo(1);
    }

    [Test]
    public async Task Stream_True_AsksForUsageInTheStream()
    {
        var body = Convert($$"""{"stream":true,{{Messages}}}""");

        await Assert.That(body).EndsWith(",\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
    }

    [Test]
    public async Task Stream_False_IsLeftOut()
    {
        var body = Convert($$"""{"stream":false,{{Messages}}}""");

        await Assert.That(body).IsEqualTo(Expected + "}");
    }

    [Test]
    public async Task Metadata_IsNotForwarded()
    {
        var (body, _, notes) = Run($$"""{"metadata":{"user_id":"user_abc_account_x_session_y"},{{Messages}}}""");

        await Assert.That(body).IsEqualTo(Expected + "}");
        await Assert.That(notes).IsEmpty();
    }

    [Test]
    [Arguments(1024, "low")]
    [Arguments(1025, "medium")]
    [Arguments(8192, "medium")]
    [Arguments(8193, "high")]
    [Arguments(32000, "high")]
    public async Task Thinking_BudgetForAReasoningModel_BecomesReasoningEffort(int budget, string effort)
    {
        var body = Convert($$"""{"thinking":{"type":"enabled","budget_tokens":{{budget}}},{{Messages}}}""", Context("openai", "o3"));

        await Assert.That(body).EndsWith($",\"reasoning_effort\":\"{effort}\"}}");
    }

    [Test]
    public async Task Thinking_ForAModelWithoutReasoningEffort_IsDroppedWithANote()
    {
        var (body, _, notes) = Run($$"""{"thinking":{"type":"enabled","budget_tokens":4000},{{Messages}}}""", Context("openai", "gpt-4o"));

        await Assert.That(body).DoesNotContain("reasoning");
        await Assert.That(notes).IsEquivalentTo(["thinking: dropped, provider 'openai' takes no reasoning_effort for model 'gpt-4o'"]);
    }

    [Test]
    public async Task Thinking_Disabled_SendsNothing()
    {
        var (body, _, notes) = Run($$"""{"thinking":{"type":"disabled"},{{Messages}}}""", Context("openai", "o3"));

        await Assert.That(body).IsEqualTo(Expected.Replace("\"m\"", "\"o3\"", StringComparison.Ordinal) + "}");
        await Assert.That(notes).IsEmpty();
    }

    [Test]
    public async Task UnknownTopLevelField_IsNoted()
    {
        var (body, _, notes) = Run($$"""{"service_tier":"auto","container":"c",{{Messages}}}""");

        await Assert.That(body).IsEqualTo(Expected + "}");
        await Assert.That(notes).IsEquivalentTo(
            ["service_tier: ignored, OpenAI-format providers have no equivalent", "container: ignored, OpenAI-format providers have no equivalent"]);
    }

    [Test]
    [Arguments("[1]", "The request body must be a JSON object.")]
    [Arguments("{\"model\":\"x\"}", "messages: is required")]
    [Arguments("{\"messages\":{}}", "messages: must be an array of messages")]
    [Arguments("{\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", "messages[0].role: must be \"user\", \"assistant\" or \"system\"")]
    [Arguments("{\"messages\":[{\"role\":\"system\",\"content\":5}]}", "messages[0].content: must be a string or an array of text blocks")]
    [Arguments("{\"messages\":[{\"role\":\"user\",\"content\":5}]}", "messages[0].content: must be a string or an array of content blocks")]
    [Arguments("{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"content\":\"x\"}]}]}", "messages[0].content[0].tool_use_id: must be a string")]
    [Arguments("{\"messages\":[{\"role\":\"user\",\"content\":[\"text\"]}]}", "messages[0].content[0]: must be a content block object")]
    [Arguments("{\"messages\":[],\"system\":5}", "system: must be a string or an array of text blocks")]
    [Arguments("{\"messages\":[],\"temperature\":\"hot\"}", "temperature: must be a number")]
    [Arguments("{\"messages\":[],\"stream\":\"yes\"}", "stream: must be true or false")]
    [Arguments("{\"messages\":[],\"stop_sequences\":[1]}", "stop_sequences[0]: must be a string")]
    public async Task InvalidRequest_IsA400NamingTheField(string body, string message)
    {
        var (_, error, _) = Run(body);

        await Assert.That(error).IsEqualTo(new ConversionError("invalid_request_error", message));
    }

    [Test]
    [Arguments("")]
    [Arguments("{\"messages\":[")]
    [Arguments("{\"messages\":[]} {}")]
    [Arguments("{\"messages\":[],}")]
    public async Task MalformedJson_IsA400(string body)
    {
        var (_, error, _) = Run(body);

        await Assert.That(error?.Type).IsEqualTo("invalid_request_error");
        await Assert.That(error?.Message).StartsWith("The request body is not valid JSON");
    }

    [Test]
    [Arguments("low", "low")]
    [Arguments("high", "high")]
    [Arguments("max", "high")]
    public async Task OutputConfigEffort_WithAdaptiveThinking_BecomesReasoningEffort(string effort, string expected)
    {
        var body = Convert($$"""{"thinking":{"type":"adaptive"},"output_config":{"effort":"{{effort}}"},{{Messages}}}""", Context("openai", "gpt-5"));

        await Assert.That(body).EndsWith($",\"reasoning_effort\":\"{expected}\"}}");
    }

    [Test]
    public async Task OutputConfigEffort_IsNotNotedAsAnUnknownField()
    {
        var (_, _, notes) = Run($$"""{"output_config":{"effort":"medium"},{{Messages}}}""", Context("openai", "o4-mini"));

        await Assert.That(notes).IsEmpty();
    }

    [Test]
    public async Task OutputFormat_JsonSchema_BecomesResponseFormat()
    {
        var body = Convert("""{"output_format":{"type":"json_schema","schema":{"type":"object","properties":{"a":{"type":"string"}}}},""" + Messages + "}");

        await Assert.That(body).EndsWith(",\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"name\":\"response\",\"schema\":{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"string\"}}}}}}");
    }

    [Test]
    public async Task OutputConfigFormat_JsonSchema_BecomesResponseFormatToo()
    {
        var body = Convert("""{"output_config":{"format":{"type":"json_schema","schema":{"type":"object"}}},""" + Messages + "}");

        await Assert.That(body).Contains("\"response_format\":{\"type\":\"json_schema\"");
    }

    [Test]
    public async Task TrailingAssistantMessage_IsKeptForTheProviderToContinue()
    {
        var body = Convert("""{"messages":[{"role":"user","content":"Say hi"},{"role":"assistant","content":"Hi"}]}""");

        await Assert.That(body).IsEqualTo("""{"model":"m","messages":[{"role":"user","content":"Say hi"},{"role":"assistant","content":"Hi"}]}""");
    }
}
