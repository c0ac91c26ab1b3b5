using Vdm.Conversion;

namespace Vdm.Tests.Conversion;

public class StopReasonsTests
{
    [Test]
    [Arguments("stop", false, "end_turn")]
    [Arguments("length", false, "max_tokens")]
    [Arguments("tool_calls", true, "tool_use")]
    [Arguments("function_call", true, "tool_use")]
    [Arguments("content_filter", false, "refusal")]
    [Arguments(null, false, "end_turn")]
    [Arguments("something_new", false, "end_turn")]
    [Arguments("stop", true, "tool_use")]
    [Arguments("tool_calls", false, "end_turn")]
    [Arguments("length", true, "max_tokens")]
    public async Task FromOpenAI_MapsAsDocumented(string? finishReason, bool sawToolCalls, string expected)
    {
        var stopReason = StopReasons.FromOpenAI(finishReason, sawToolCalls);

        await Assert.That(stopReason).IsEqualTo(expected);
    }
}
