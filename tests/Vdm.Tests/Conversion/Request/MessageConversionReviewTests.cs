using System.Text.Json;
using static Vdm.Tests.Conversion.Request.RequestConversion;

namespace Vdm.Tests.Conversion.Request;

/// <summary>Review findings (review7): system turns inside messages that Chat Completions cannot take where they are.</summary>
public class MessageConversionReviewTests
{
    [Test]
    public async Task SystemTurnBetweenAToolCallAndItsResult_ToolMessageStillFollowsTheCall()
    {
        // OpenAI (and every strict server) refuses an assistant message with tool_calls that is not followed by the tool
        // messages answering it: "An assistant message with 'tool_calls' must be followed by tool messages".
        var body = Convert("""{"messages":[{"role":"user","content":"read it"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"Read","input":{}}]},{"role":"system","content":"Per-turn note."},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"data"}]}]}""");

        using var document = JsonDocument.Parse(body);
        var roles = document.RootElement.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("role").GetString()).ToList();
        var call = roles.IndexOf("assistant");

        await Assert.That(roles[call + 1]).IsEqualTo("tool");
    }
}
