using static Vdm.Tests.Conversion.Request.RequestConversion;

namespace Vdm.Tests.Conversion.Request;

/// <summary>Tool schemas rewritten for Gemini's OpenAI-compatible endpoint (peers.md §3.2 item 41).</summary>
public class GeminiSchemaTests
{
    private static string Parameters(string schema, string provider = "gemini", string model = "gemini-2.5-pro")
    {
        var body = Convert("{\"tools\":[{\"name\":\"T\",\"input_schema\":" + schema + "}],\"messages\":[]}", Context(provider, model));
        var start = body.IndexOf("\"parameters\":", StringComparison.Ordinal) + "\"parameters\":".Length;
        return body[start..body.LastIndexOf("}}]", StringComparison.Ordinal)];
    }

    [Test]
    public async Task Write_DropsKeywordsGeminiRefuses()
    {
        var parameters = Parameters("""{"$schema":"http://json-schema.org/draft-07/schema#","type":"object","additionalProperties":false,"properties":{"n":{"type":"integer","default":3,"examples":[1]}},"required":["n"]}""");

        await Assert.That(parameters).IsEqualTo("""{"type":"object","properties":{"n":{"type":"integer"}},"required":["n"]}""");
    }

    [Test]
    public async Task Write_InlinesLocalReferences()
    {
        var parameters = Parameters("""{"type":"object","properties":{"p":{"$ref":"#/$defs/Point"}},"$defs":{"Point":{"type":"object","properties":{"x":{"type":"number"}}}}}""");

        await Assert.That(parameters).IsEqualTo("""{"type":"object","properties":{"p":{"type":"object","properties":{"x":{"type":"number"}}}}}""");
    }

    [Test]
    public async Task Write_RecursiveReference_StopsAtAPlainObject()
    {
        var parameters = Parameters("""{"type":"object","properties":{"node":{"$ref":"#/definitions/Node"}},"definitions":{"Node":{"type":"object","properties":{"next":{"$ref":"#/definitions/Node"}}}}}""");

        await Assert.That(parameters).Contains("{\"type\":\"object\"}");
        await Assert.That(parameters).DoesNotContain("$ref");
    }

    [Test]
    public async Task Write_ReferencesThatDoubleAtEveryLevel_StopBeingInlinedPastABudget()
    {
        // Inlined to the depth limit this would be 2^32 copies; a client could send it to hang the gateway.
        var parameters = Parameters("""{"type":"object","properties":{"p":{"$ref":"#/$defs/a"}},"$defs":{"a":{"anyOf":[{"$ref":"#/$defs/a"},{"$ref":"#/$defs/a"}]}}}""");

        await Assert.That(parameters.Length).IsLessThan(2 << 20);
        await Assert.That(parameters).StartsWith("""{"type":"object","properties":{"p":{"anyOf":[{"anyOf":[{"anyOf":""");
        await Assert.That(parameters).DoesNotContain("$ref");
    }

    [Test]
    public async Task Write_NullableTypeArray_BecomesTypeAndNullable()
    {
        var parameters = Parameters("""{"type":"object","properties":{"s":{"type":["string","null"]}}}""");

        await Assert.That(parameters).IsEqualTo("""{"type":"object","properties":{"s":{"type":"string","nullable":true}}}""");
    }

    [Test]
    public async Task Write_Const_BecomesAOneValueEnum()
    {
        var parameters = Parameters("""{"type":"object","properties":{"k":{"const":"fixed"}}}""");

        await Assert.That(parameters).IsEqualTo("""{"type":"object","properties":{"k":{"type":"string","enum":["fixed"]}}}""");
    }

    [Test]
    public async Task Write_KeepsOnlyTheStringFormatsGeminiKnows()
    {
        var parameters = Parameters("""{"type":"object","properties":{"u":{"type":"string","format":"uri"},"d":{"type":"string","format":"date-time"}}}""");

        await Assert.That(parameters).IsEqualTo("""{"type":"object","properties":{"u":{"type":"string"},"d":{"type":"string","format":"date-time"}}}""");
    }

    [Test]
    public async Task Write_EnumOnANonString_IsDropped()
    {
        var parameters = Parameters("""{"type":"object","properties":{"n":{"type":"integer","enum":[1,2]}}}""");

        await Assert.That(parameters).IsEqualTo("""{"type":"object","properties":{"n":{"type":"integer"}}}""");
    }

    [Test]
    public async Task Write_ArrayWithoutItems_GetsItems()
    {
        var parameters = Parameters("""{"type":"object","properties":{"a":{"type":"array"}}}""");

        await Assert.That(parameters).IsEqualTo("""{"type":"object","properties":{"a":{"type":"array","items":{}}}}""");
    }

    [Test]
    public async Task Write_OneOf_BecomesAnyOf()
    {
        var parameters = Parameters("""{"type":"object","properties":{"v":{"oneOf":[{"type":"string"},{"type":"number"}]}}}""");

        await Assert.That(parameters).IsEqualTo("""{"type":"object","properties":{"v":{"anyOf":[{"type":"string"},{"type":"number"}]}}}""");
    }

    [Test]
    public async Task Write_RootWithoutTypeOrProperties_IsAnObjectSchema()
    {
        var parameters = Parameters("""{"required":[]}""");

        await Assert.That(parameters).IsEqualTo("""{"type":"object","required":[],"properties":{}}""");
    }

    [Test]
    public async Task Write_GeminiThroughOpenRouter_IsRewrittenToo()
    {
        var parameters = Parameters("""{"type":"object","additionalProperties":false,"properties":{}}""", "openrouter", "google/gemini-2.5-flash");

        await Assert.That(parameters).IsEqualTo("""{"type":"object","properties":{}}""");
    }

    [Test]
    public async Task Write_OtherProviders_KeepTheSchemaAsWritten()
    {
        var parameters = Parameters("""{"type":"object","additionalProperties":false,"properties":{}}""", "openai", "gpt-4o");

        await Assert.That(parameters).IsEqualTo("""{"type":"object","additionalProperties":false,"properties":{}}""");
    }
}
