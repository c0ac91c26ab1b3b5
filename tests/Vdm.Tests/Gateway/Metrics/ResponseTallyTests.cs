using System.Text;
using Vdm.Conversion;
using Vdm.Gateway.Metrics;

namespace Vdm.Tests.Gateway.Metrics;

public class ResponseTallyTests
{
    private const string AnthropicStream =
        "event: message_start\n" +
        "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"content\":[],\"model\":\"m\"," +
        "\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":2,\"cache_read_input_tokens\":5,\"output_tokens\":1}}}\n\n" +
        "event: content_block_start\n" +
        "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n" +
        "event: ping\n" +
        "data: {\"type\":\"ping\"}\n\n" +
        "event: content_block_delta\n" +
        "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"call \\\"tool_use\\\" now\\nevent: message_delta\"}}\n\n" +
        "event: content_block_stop\n" +
        "data: {\"type\":\"content_block_stop\",\"index\":0}\n\n" +
        "event: content_block_start\n" +
        "data: {\"type\":\"content_block_start\",\"index\":1,\"content_block\":{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"Write\",\"input\":{}}}\n\n" +
        "event: content_block_delta\n" +
        "data: {\"type\":\"content_block_delta\",\"index\":1,\"delta\":{\"type\":\"input_json_delta\",\"partial_json\":\"{}\"}}\n\n" +
        "event: content_block_stop\n" +
        "data: {\"type\":\"content_block_stop\",\"index\":1}\n\n" +
        "event: message_delta\n" +
        "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"tool_use\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":42}}\n\n" +
        "event: message_stop\n" +
        "data: {\"type\":\"message_stop\"}\n\n";

    [Test]
    public async Task ObserveStream_AnthropicStream_CountsUsageToolUsesBytesAndFirstToken()
    {
        var usage = Observe(ApiFormat.Anthropic, AnthropicStream);

        await Assert.That((usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CacheWriteTokens)).IsEqualTo((10L, 42L, 5L, 2L));
        await Assert.That(usage.ToolUses).IsEqualTo(1);
        await Assert.That(usage.ResponseBytes).IsEqualTo(Encoding.UTF8.GetByteCount(AnthropicStream));
        await Assert.That(usage.FirstTokenTimestamp).IsNotEqualTo(0L);
        await Assert.That(usage.ErrorType).IsNull();
    }

    [Test]
    [Arguments(1)]
    [Arguments(3)]
    [Arguments(47)]
    [Arguments(49)]
    [Arguments(100)]
    public async Task ObserveStream_AnthropicStreamInPieces_CountsTheSameAsWhole(int pieceBytes)
    {
        var usage = Observe(ApiFormat.Anthropic, AnthropicStream, pieceBytes);

        await Assert.That((usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.CacheWriteTokens)).IsEqualTo((10L, 42L, 5L, 2L));
        await Assert.That(usage.ToolUses).IsEqualTo(1);
        await Assert.That(usage.FirstTokenTimestamp).IsNotEqualTo(0L);
    }

    [Test]
    public async Task ObserveStream_CrlfLineEnds_AreReadLikeLineFeeds()
    {
        var usage = Observe(ApiFormat.Anthropic, AnthropicStream.Replace("\n", "\r\n", StringComparison.Ordinal), 7);

        await Assert.That((usage.InputTokens, usage.OutputTokens, usage.ToolUses)).IsEqualTo((10L, 42L, 1));
    }

    [Test]
    [Arguments(1)]
    [Arguments(40)]
    public async Task ObserveStream_DataLinesWithoutEventLines_AreReadByTheirType(int pieceBytes)
    {
        var dataOnly = string.Join("\n", AnthropicStream.Split('\n').Where(line => !line.StartsWith("event:", StringComparison.Ordinal)));

        var usage = Observe(ApiFormat.Anthropic, dataOnly, pieceBytes);

        await Assert.That((usage.InputTokens, usage.OutputTokens, usage.ToolUses)).IsEqualTo((10L, 42L, 1));
        await Assert.That(usage.FirstTokenTimestamp).IsNotEqualTo(0L);
    }

    [Test]
    public async Task ObserveStream_MessageDeltaWithInputTokens_OverridesTheStartsCounts()
    {
        var usage = Observe(ApiFormat.Anthropic,
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":0,\"output_tokens\":0}}}\n\n" +
            "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"input_tokens\":900,\"output_tokens\":12,\"cache_read_input_tokens\":100}}\n\n");

        await Assert.That((usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens)).IsEqualTo((900L, 12L, 100L));
    }

    [Test]
    public async Task ObserveStream_ErrorEvent_RecordsItsType()
    {
        var usage = Observe(ApiFormat.Anthropic,
            "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"usage\":{\"input_tokens\":3}}}\n\n" +
            "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"busy\"}}\n\n");

        await Assert.That(usage.ErrorType).IsEqualTo("overloaded_error");
        await Assert.That(usage.FirstTokenTimestamp).IsEqualTo(0L);
    }

    [Test]
    public async Task ObserveStream_UnknownErrorType_CountsAsOther()
    {
        var usage = Observe(ApiFormat.Anthropic, "event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"made_up_error\"}}\n\n");

        await Assert.That(usage.ErrorType).IsEqualTo("other");
    }

    [Test]
    public async Task ObserveStream_MalformedUsageLine_IsIgnoredWithoutThrowing()
    {
        var usage = Observe(ApiFormat.Anthropic, "event: message_start\ndata: {\"message\":{\"usage\":{\"input_tokens\":\n\nevent: message_delta\ndata: not json\n\n");

        await Assert.That(usage.InputTokens).IsEqualTo(0L);
    }

    private const string OpenAIStream =
        "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}],\"usage\":null}\n\n" +
        "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}],\"usage\":null}\n\n" +
        "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"f\",\"arguments\":\"\"}}," +
        "{\"index\":1,\"id\":\"call_b\",\"type\":\"function\",\"function\":{\"name\":\"g\",\"arguments\":\"\"}}]}}],\"usage\":null}\n\n" +
        "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"id\\\":1}\"}}]}}],\"usage\":null}\n\n" +
        "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"tool_calls\"}],\"usage\":null}\n\n" +
        "data: {\"id\":\"c1\",\"choices\":[],\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":20,\"prompt_tokens_details\":{\"cached_tokens\":60}}}\n\n" +
        "data: [DONE]\n\n";

    [Test]
    [Arguments(0)]
    [Arguments(5)]
    [Arguments(64)]
    public async Task ObserveStream_OpenAIStream_CountsUsageAsTheConversionDoesAndEachToolCallOnce(int pieceBytes)
    {
        var usage = Observe(ApiFormat.OpenAI, OpenAIStream, pieceBytes);

        // Input tokens exclude the cached ones, as Anthropic counts them.
        await Assert.That((usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens)).IsEqualTo((40L, 20L, 60L));
        await Assert.That(usage.ToolUses).IsEqualTo(2);
        await Assert.That(usage.FirstTokenTimestamp).IsNotEqualTo(0L);
    }

    [Test]
    public async Task ObserveStream_OpenAIEmptyContentOnly_HasNoFirstToken()
    {
        var usage = Observe(ApiFormat.OpenAI, "data: {\"choices\":[{\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n");

        await Assert.That(usage.FirstTokenTimestamp).IsEqualTo(0L);
    }

    [Test]
    public async Task ObserveStream_OpenAIInBandError_RecordsItsType()
    {
        var usage = Observe(ApiFormat.OpenAI, "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\n\ndata: {\"error\":{\"message\":\"x\",\"type\":\"timeout_error\"}}\n\n");

        await Assert.That(usage.ErrorType).IsEqualTo("timeout_error");
    }

    [Test]
    public async Task ObserveStream_ProviderRepeatingAToolCallsId_CountsItOnce()
    {
        var usage = Observe(ApiFormat.OpenAI,
            "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"function\":{\"name\":\"f\"}}]}}]}\n\n" +
            "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"function\":{\"arguments\":\"{}\"}}]}}]}\n\n");

        await Assert.That(usage.ToolUses).IsEqualTo(1);
    }

    [Test]
    public async Task ObserveJson_AnthropicMessage_CountsUsageAndTopLevelToolUsesOnly()
    {
        var usage = new ResponseUsage();
        var body = "{\"id\":\"msg\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"tool_use\"}," +
            "{\"type\":\"tool_use\",\"id\":\"t1\",\"name\":\"a\",\"input\":{\"content\":[{\"type\":\"tool_use\"}]}}," +
            "{\"type\":\"tool_use\",\"id\":\"t2\",\"name\":\"b\",\"input\":{}}]," +
            "\"usage\":{\"input_tokens\":7,\"output_tokens\":9,\"cache_read_input_tokens\":1,\"cache_creation_input_tokens\":0}}";

        new ResponseTally(ApiFormat.Anthropic, usage).ObserveJson(Encoding.UTF8.GetBytes(body));

        await Assert.That((usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.ToolUses)).IsEqualTo((7L, 9L, 1L, 2));
        await Assert.That(usage.ResponseBytes).IsEqualTo(body.Length);
        await Assert.That(usage.FirstTokenTimestamp).IsEqualTo(0L);
    }

    [Test]
    public async Task ObserveJson_ChatCompletion_CountsUsageAndToolCalls()
    {
        var usage = new ResponseUsage();
        var body = "{\"id\":\"c\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[" +
            "{\"id\":\"call_1\",\"type\":\"function\",\"function\":{\"name\":\"a\",\"arguments\":\"{\\\"id\\\":2}\"}}]}}]," +
            "\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":10}}}";

        new ResponseTally(ApiFormat.OpenAI, usage).ObserveJson(Encoding.UTF8.GetBytes(body));

        await Assert.That((usage.InputTokens, usage.OutputTokens, usage.CacheReadTokens, usage.ToolUses)).IsEqualTo((40L, 5L, 10L, 1));
    }

    [Test]
    public async Task ObserveJson_NotJson_CountsBytesOnly()
    {
        var usage = new ResponseUsage();

        new ResponseTally(ApiFormat.OpenAI, usage).ObserveJson("<html>oops</html>"u8);

        await Assert.That((usage.InputTokens, usage.ResponseBytes)).IsEqualTo((0L, 17L));
    }

    [Test]
    public async Task ObserveJson_AnthropicToolInputHasAUsageProperty_StillReadsTheTopLevelUsage()
    {
        const string body =
            "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\"," +
            "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"set_cli_usage\",\"input\":{\"usage\":\"vdm [options]\"}}]," +
            "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":100,\"output_tokens\":20}}";
        var usage = new ResponseUsage();

        new ResponseTally(ApiFormat.Anthropic, usage).ObserveJson(Encoding.UTF8.GetBytes(body));

        await Assert.That(usage.ToolUses).IsEqualTo(1);
        await Assert.That((usage.InputTokens, usage.OutputTokens)).IsEqualTo((100L, 20L));
    }

    [Test]
    public async Task ObserveJson_AnthropicToolInputHasAUsageObject_DoesNotTakeItsNumbers()
    {
        const string body =
            "{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"m\"," +
            "\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"report\",\"input\":{\"usage\":{\"input_tokens\":999999}}}]," +
            "\"stop_reason\":\"tool_use\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":100,\"output_tokens\":20}}";
        var usage = new ResponseUsage();

        new ResponseTally(ApiFormat.Anthropic, usage).ObserveJson(Encoding.UTF8.GetBytes(body));

        await Assert.That((usage.InputTokens, usage.OutputTokens)).IsEqualTo((100L, 20L));
    }

    [Test]
    public async Task ObserveStream_ContentBlockTypeNotAString_DoesNotThrow()
    {
        var usage = new ResponseUsage();
        var tally = new ResponseTally(ApiFormat.Anthropic, usage);
        var bytes = Encoding.UTF8.GetBytes(
            "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":null}}\n\n");

        Exception? thrown = null;
        try
        {
            tally.ObserveStream(bytes);
        }
        catch (Exception exception)
        {
            thrown = exception;
        }

        await Assert.That(thrown).IsNull();
    }

    [Test]
    public async Task ObserveJson_AnthropicBlockTypeNotAString_DoesNotThrow()
    {
        var usage = new ResponseUsage();
        Exception? thrown = null;
        try
        {
            new ResponseTally(ApiFormat.Anthropic, usage).ObserveJson(
                "{\"content\":[{\"type\":5}],\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}"u8);
        }
        catch (Exception exception)
        {
            thrown = exception;
        }

        await Assert.That(thrown).IsNull();
    }

    private static ResponseUsage Observe(ApiFormat format, string text, int pieceBytes = 0)
    {
        var usage = new ResponseUsage();
        var tally = new ResponseTally(format, usage);
        var bytes = Encoding.UTF8.GetBytes(text);
        if (pieceBytes <= 0)
        {
            tally.ObserveStream(bytes);
            return usage;
        }

        for (var offset = 0; offset < bytes.Length; offset += pieceBytes)
        {
            tally.ObserveStream(bytes.AsSpan(offset, Math.Min(pieceBytes, bytes.Length - offset)));
        }

        return usage;
    }
}
