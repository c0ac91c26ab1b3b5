using System.Text;
using Vdm.Gateway.Endpoints;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Endpoints;

/// <summary>The local count_tokens estimate: known ranges, monotonic, and every part of a request counted.</summary>
public class TokenEstimatorTests
{
    private static int Estimate(string body) => TokenEstimator.Estimate(Encoding.UTF8.GetBytes(body));

    private static string UserText(string text) =>
        $$"""{"model":"m","messages":[{"role":"user","content":"{{System.Text.Json.JsonEncodedText.Encode(text)}}"}]}""";

    [Test]
    public async Task Estimate_ShortGreeting_IsAFewTokensPlusFraming()
    {
        // Anthropic counts "Hello, world" as a user message at about 10–14 tokens.
        await Assert.That(Estimate(UserText("Hello, world"))).IsBetween(8, 16);
    }

    [Test]
    public async Task Estimate_EnglishProse_IsAboutOneTokenPerFourCharacters()
    {
        var prose = string.Concat(Enumerable.Repeat("The quick brown fox jumps over the lazy dog. ", 100));

        // 4,500 characters: 1,000 tokens with o200k (GPT-4o's tokenizer), the calibration target.
        await Assert.That(Estimate(UserText(prose))).IsBetween(900, 1100);
    }

    [Test]
    public async Task Estimate_MoreText_NeverGivesFewerTokens()
    {
        var previous = 0;
        for (var length = 0; length <= 400; length += 7)
        {
            var tokens = Estimate(UserText(new string('a', length)));
            await Assert.That(tokens).IsGreaterThanOrEqualTo(previous);
            previous = tokens;
        }

        await Assert.That(previous).IsGreaterThan(Estimate(UserText("")));
    }

    [Test]
    public async Task Estimate_CjkText_CountsAboutATokenPerCharacter()
    {
        var text = string.Concat(Enumerable.Repeat("你好世界", 50));

        await Assert.That(Estimate(UserText(text))).IsBetween(190, 230);
    }

    [Test]
    public async Task Estimate_Tools_AddTheirNameDescriptionAndSchema()
    {
        const string withoutTools = """{"model":"m","messages":[{"role":"user","content":"Hi"}]}""";
        const string oneTool = """{"model":"m","messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"get_weather","description":"Get the current weather in a given location","input_schema":{"type":"object","properties":{"location":{"type":"string","description":"The city and state"}},"required":["location"]}}]}""";
        const string twoTools = """{"model":"m","messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"get_weather","description":"Get the current weather in a given location","input_schema":{"type":"object","properties":{"location":{"type":"string","description":"The city and state"}},"required":["location"]}},{"name":"get_time","description":"Get the time","input_schema":{"type":"object","properties":{}}}]}""";

        var none = Estimate(withoutTools);
        var one = Estimate(oneTool);
        var two = Estimate(twoTools);

        await Assert.That(one - none).IsBetween(55, 90);
        await Assert.That(two).IsGreaterThan(one + TokenEstimator.ToolOverhead);
    }

    [Test]
    public async Task Estimate_ToolCallsAndResults_AreCounted()
    {
        const string plain = """{"model":"m","messages":[{"role":"user","content":"Weather?"}]}""";
        const string withCall = """{"model":"m","messages":[{"role":"user","content":"Weather?"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"get_weather","input":{"location":"San Francisco, CA"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"It is 18 degrees and sunny in San Francisco, with a light breeze from the west."}]}]}""";

        await Assert.That(Estimate(withCall) - Estimate(plain)).IsBetween(35, 70);
    }

    [Test]
    public async Task Estimate_SystemPrompt_IsCounted()
    {
        const string without = """{"model":"m","messages":[{"role":"user","content":"Hi"}]}""";
        const string withString = """{"model":"m","system":"You are a helpful assistant who answers in one sentence.","messages":[{"role":"user","content":"Hi"}]}""";
        const string withBlocks = """{"model":"m","system":[{"type":"text","text":"You are a helpful assistant who answers in one sentence.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Hi"}]}""";

        await Assert.That(Estimate(withString) - Estimate(without)).IsBetween(14, 22);
        await Assert.That(Estimate(withBlocks)).IsEqualTo(Estimate(withString) + TokenEstimator.BlockOverhead);
    }

    [Test]
    public async Task Estimate_PngImage_CountsWidthTimesHeightOver750()
    {
        // A 1000 x 600 PNG header: 1000 * 600 / 750 = 800 tokens.
        var png = new byte[33];
        "\x89PNG\r\n\x1a\n"u8.CopyTo(png);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(16), 1000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(png.AsSpan(20), 600);
        var body = $$$"""{"model":"m","messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"{{{Convert.ToBase64String(png)}}}"}}]}]}""";
        const string none = """{"model":"m","messages":[{"role":"user","content":[]}]}""";

        await Assert.That(Estimate(body) - Estimate(none)).IsEqualTo(800 + TokenEstimator.BlockOverhead);
    }

    [Test]
    public async Task Estimate_ImageOfUnknownSize_CountsTheFlatMaximum()
    {
        const string url = """{"model":"m","messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"https://example.com/a.png"}}]}]}""";
        const string none = """{"model":"m","messages":[{"role":"user","content":[]}]}""";

        await Assert.That(Estimate(url) - Estimate(none)).IsEqualTo(TokenEstimator.UnknownImageTokens + TokenEstimator.BlockOverhead);
    }

    [Test]
    [Arguments("1.5")]
    [Arguments("null")]
    [Arguments("[\"base64\"]")]
    public async Task Estimate_ImageSourceTypeNotAString_CountsTheFlatMaximum(string type)
    {
        var image = $$$"""{"model":"m","messages":[{"role":"user","content":[{"type":"image","source":{"type":{{{type}}},"data":"x"}}]}]}""";
        const string none = """{"model":"m","messages":[{"role":"user","content":[]}]}""";

        await Assert.That(Estimate(image) - Estimate(none)).IsEqualTo(TokenEstimator.UnknownImageTokens + TokenEstimator.BlockOverhead);
    }

    [Test]
    public async Task ForSize_LargeImage_IsScaledDownAndCapped()
    {
        await Assert.That(ImageTokens.ForSize(4000, 3000)).IsEqualTo(TokenEstimator.UnknownImageTokens);
        await Assert.That(ImageTokens.ForSize(200, 200)).IsEqualTo(54);
    }

    [Test]
    public async Task Estimate_ClaudeCodeFixture_IsInTheExpectedRange()
    {
        // 93 KB of English instructions and JSON tool schemas: between 1 token per 5.5 bytes and 1 per 4 bytes of the
        // body (TokenEstimatorAccuracyTests compares it with a real tokenizer).
        var body = File.ReadAllBytes(Path.Combine(RepositoryRoot.Path, "tests", "Fixtures", "claude-code-request.json"));

        var tokens = TokenEstimator.Estimate(body);

        await Assert.That(tokens).IsBetween(body.Length * 10 / 55, body.Length / 4);
    }
}
