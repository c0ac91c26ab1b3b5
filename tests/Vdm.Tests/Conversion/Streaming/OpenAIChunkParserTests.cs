using System.Text;
using Vdm.Conversion.Streaming;

namespace Vdm.Tests.Conversion.Streaming;

/// <summary>
/// Shapes of valid JSON that <see cref="OpenAIChunkParser"/> does not expect: they must be passed over whole, never
/// misread as malformed or make the parser lose its place in the chunk.
/// </summary>
public class OpenAIChunkParserTests
{
    [Test]
    [Arguments("""{"choices":[{"index":0,"finish_reason":{"type":"stop"},"delta":{"content":"hi"}}]}""")]
    [Arguments("""{"choices":[{"index":0,"delta":{"reasoning_details":[null,["x"],{"text":"t"}],"content":"hi"}}]}""")]
    [Arguments("""{"choices":[{"index":0,"delta":{"tool_calls":[{"index":{"n":0},"id":["call_1"],"function":{"name":{"v":"f"}}}],"content":"hi"}}]}""")]
    public async Task TryParse_ContainerWhereAScalarBelongs_IsSkippedAndTheRestIsRead(string json)
    {
        var data = Encoding.UTF8.GetBytes(json);
        var chunk = new OpenAIChunk();

        var parsed = OpenAIChunkParser.TryParse(data, chunk);

        await Assert.That(parsed).IsTrue();
        await Assert.That(Encoding.UTF8.GetString(chunk.Content.Of(data))).IsEqualTo("hi");
    }

    [Test]
    public async Task TryParse_ToolCallsWithANonObjectElement_KeepsTheCallsAroundIt()
    {
        var data = Encoding.UTF8.GetBytes("""
            {"choices":[{"index":0,"delta":{"tool_calls":[null,{"index":1,"id":"call_1","function":{"name":"f","arguments":"{}"}}]}}]}
            """);
        var chunk = new OpenAIChunk();

        var parsed = OpenAIChunkParser.TryParse(data, chunk);

        await Assert.That(parsed).IsTrue();
        await Assert.That(chunk.ToolCalls.Select(call => $"{call.Index} {call.Id} {call.Name}")).IsEquivalentTo(["1 call_1 f"]);
    }

    [Test]
    public async Task TryParse_UsageCountOfAnotherType_CountsZeroAndReadsTheOtherCounts()
    {
        var data = Encoding.UTF8.GetBytes("""
            {"usage":{"prompt_tokens":{"total":5},"completion_tokens":7,"prompt_tokens_details":{"cached_tokens":[1]}},"choices":[]}
            """);
        var chunk = new OpenAIChunk();

        var parsed = OpenAIChunkParser.TryParse(data, chunk);

        await Assert.That(parsed).IsTrue();
        await Assert.That((chunk.HasUsage, chunk.Usage.PromptTokens, chunk.Usage.CompletionTokens, chunk.Usage.CachedTokens)).IsEqualTo((true, 0L, 7L, 0L));
    }
}
