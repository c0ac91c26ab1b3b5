using Vdm.Gateway.Routing;

namespace Vdm.Tests.Gateway.Routing;

public class AliasNameTests
{
    [Test]
    [Arguments("sonnet", "claude-sonnet-4-5-20250929", true)]
    [Arguments("gemini-flash", "GEMINI_FLASH", true)]
    [Arguments("fast", "my-FAST_model", true)]
    [Arguments("a-b", "xa_by", true)]
    [Arguments("sonnet", "sonne", false)]
    [Arguments("haiku", "claude-opus-4-1", false)]
    public async Task OccursIn_FoldedAlias_IgnoresCaseAndHyphenVersusUnderscore(string alias, string model, bool expected)
    {
        var occurs = AliasName.OccursIn(AliasName.Normalize(alias), model);

        await Assert.That(occurs).IsEqualTo(expected);
    }

    [Test]
    [Arguments("groq", true)]
    [Arguments("My_LLM-2", true)]
    [Arguments("qwen2.5", false)]
    [Arguments("qwen/qwen3", false)]
    [Arguments("", false)]
    public async Task LooksLikeProvider_Prefix_AcceptsLettersDigitsUnderscoreAndHyphenOnly(string prefix, bool expected)
    {
        var looks = AliasName.LooksLikeProvider(prefix);

        await Assert.That(looks).IsEqualTo(expected);
    }
}
