using System.Text.Json;
using Vdm.Gateway.Endpoints;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>The Chat Completions body's shape, checked before routing, with OpenAI's wording.</summary>
public class ChatCompletionsRequestValidationTests
{
    private static string? Problem(string json)
    {
        using var document = JsonDocument.Parse(json);
        return ChatCompletionsRequestValidation.Problem(document.RootElement);
    }

    [Test]
    [Arguments("""{"model":"m","messages":[]}""")]
    [Arguments("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"stream":true,"max_tokens":10,"tool_choice":"auto","stop":"END"}""")]
    [Arguments("""{"model":"m","messages":[{"role":"assistant","content":null,"tool_calls":[]},{"role":"tool","tool_call_id":"c","content":[{"type":"text","text":"ok"}]}]}""")]
    [Arguments("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"temperature":null,"vendor_field":{"x":1}}""")]
    public async Task Problem_WellFormedRequest_IsNone(string json)
    {
        await Assert.That(Problem(json)).IsNull();
    }

    [Test]
    [Arguments("""{"messages":[]}""", "Missing required parameter: 'model'.")]
    [Arguments("""{"model":"m"}""", "Missing required parameter: 'messages'.")]
    [Arguments("""{"model":5,"messages":[]}""", "Invalid type for 'model': expected a string, but got an integer instead.")]
    [Arguments("""{"model":"m","messages":"Hi"}""", "Invalid type for 'messages': expected an array, but got a string instead.")]
    [Arguments("""{"model":"m","messages":[[]]}""", "Invalid type for 'messages[0]': expected an object, but got an array instead.")]
    [Arguments("""{"model":"m","messages":[{"role":"user","content":"a"},{"content":"b"}]}""", "Missing required parameter: 'messages[1].role'.")]
    [Arguments("""{"model":"m","messages":[{"role":null}]}""", "Invalid type for 'messages[0].role': expected a string, but got null instead.")]
    [Arguments("""{"model":"m","messages":[{"role":"user","content":{}}]}""", "Invalid type for 'messages[0].content': expected a string or an array of content parts, but got an object instead.")]
    [Arguments("""{"model":"m","messages":[],"stream":"yes"}""", "Invalid type for 'stream': expected a boolean, but got a string instead.")]
    [Arguments("""{"model":"m","messages":[],"temperature":true}""", "Invalid type for 'temperature': expected a number, but got a boolean instead.")]
    [Arguments("""{"model":"m","messages":[],"max_tokens":1.5}""", "Invalid type for 'max_tokens': expected an integer, but got a decimal number instead.")]
    [Arguments("""{"model":"m","messages":[],"stop":5}""", "Invalid type for 'stop': expected a string or an array of strings, but got an integer instead.")]
    [Arguments("""{"model":"m","messages":[],"tools":{}}""", "Invalid type for 'tools': expected an array, but got an object instead.")]
    [Arguments("""{"model":"m","messages":[],"tool_choice":1}""", "Invalid type for 'tool_choice': expected a string or an object, but got an integer instead.")]
    [Arguments("""{"model":"m","messages":[],"stream_options":true}""", "Invalid type for 'stream_options': expected an object, but got a boolean instead.")]
    [Arguments("""{"model":"m","messages":[],"user":[]}""", "Invalid type for 'user': expected a string, but got an array instead.")]
    public async Task Problem_MissingOrMistyped_NamesTheFieldAsOpenAIDoes(string json, string expected)
    {
        await Assert.That(Problem(json)).IsEqualTo(expected);
    }
}
