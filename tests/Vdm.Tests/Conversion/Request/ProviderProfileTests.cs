using Vdm.Conversion.Request;

namespace Vdm.Tests.Conversion.Request;

public class ProviderProfileTests
{
    [Test]
    public async Task For_GeminiBehindOpenRouter_KeepsOpenRoutersAbilitiesAndAddsGeminisSchemaRules()
    {
        var profile = ProviderProfile.For("openrouter", "google/gemini-2.5-pro");

        await Assert.That(profile.GeminiSchema).IsTrue();
        await Assert.That(profile.FileParts).IsTrue();
        await Assert.That(profile.ReasoningEffort).IsTrue();
    }

    [Test]
    public async Task For_GeminiBehindAnOpenAIStyleGateway_KeepsTheMaxTokensField()
    {
        var profile = ProviderProfile.For("openai", "gemini-2.5-flash");

        await Assert.That(profile.GeminiSchema).IsTrue();
        await Assert.That(profile.MaxTokensField).IsEqualTo("max_completion_tokens");
    }

    [Test]
    [Arguments("openai", "o3", true)]
    [Arguments("openai", "gpt-5-mini", true)]
    [Arguments("openai", "gpt-4o", false)]
    [Arguments("custom", "anything", false)]
    public async Task For_ReasoningEffort_FollowsTheModel(string provider, string model, bool expected)
    {
        await Assert.That(ProviderProfile.For(provider, model).ReasoningEffort).IsEqualTo(expected);
    }
}
