using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Configuration;

public class MiddlewareReaderTests
{
    private static string Describe(Vdm.Gateway.Configuration.GatewaySettings settings, string provider) =>
        string.Join(",", settings.FindProvider(provider)!.Middleware.Select(selection => selection.ToString()));

    [Test]
    public async Task Default_EveryOpenAIFormatProviderRunsTheThoughtSignatures_AnthropicFormatNone()
    {
        var settings = TestVariables.Settings(("OPENAI_API_KEY", "sk-1"), ("ANTHROPIC_API_KEY", "sk-2"));

        await Assert.That(Describe(settings, "openai")).IsEqualTo("gemini-thought-signatures");
        await Assert.That(Describe(settings, "anthropic")).IsEqualTo("");
    }

    [Test]
    public async Task ProviderList_ReplacesTheGlobalOne_WithModelGlobsAndNone()
    {
        var settings = TestVariables.Settings(("OPENAI_API_KEY", "sk-1"), ("OPENROUTER_API_KEY", "sk-2"), ("GROQ_API_KEY", "sk-3"),
            ("VDM_DEFAULT_PROVIDER", "openai"), ("OPENROUTER_MIDDLEWARE", "Gemini-Thought-Signatures:google/gemini-*"), ("GROQ_MIDDLEWARE", "none"));

        var openrouter = settings.FindProvider("openrouter")!.Middleware.Single();

        await Assert.That(Describe(settings, "openrouter")).IsEqualTo("gemini-thought-signatures:google/gemini-*");
        await Assert.That(openrouter.AppliesTo("google/gemini-2.5-pro")).IsTrue();
        await Assert.That(openrouter.AppliesTo("openai/gpt-4o")).IsFalse();
        await Assert.That(Describe(settings, "groq")).IsEqualTo("");
        await Assert.That(Describe(settings, "openai")).IsEqualTo("gemini-thought-signatures");
    }

    [Test]
    public async Task ThoughtSignaturesDisabled_TakesItOutEverywhere()
    {
        var settings = TestVariables.Settings(("OPENAI_API_KEY", "sk-1"), ("GEMINI_API_KEY", "g"), ("VDM_DEFAULT_PROVIDER", "openai"),
            ("GEMINI_MIDDLEWARE", "gemini-thought-signatures"), ("GEMINI_THOUGHT_SIGNATURES_ENABLED", "false"));

        await Assert.That(Describe(settings, "openai")).IsEqualTo("");
        await Assert.That(Describe(settings, "gemini")).IsEqualTo("");
        await Assert.That(settings.ThoughtSignatures.Enabled).IsFalse();
    }

    [Test]
    public async Task UnknownNameOrBadSwitch_AreConfigurationErrors()
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "sk-1"), ("OPENAI_MIDDLEWARE", "gemini-thought-signatures,retry-forever"),
            ("GEMINI_THOUGHT_SIGNATURES_ENABLED", "maybe"), ("THOUGHT_SIGNATURE_CACHE_TTL", "-5"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).Contains(error => error.Contains("OPENAI_MIDDLEWARE", StringComparison.Ordinal)
            && error.Contains("no middleware 'retry-forever' (known: gemini-thought-signatures; or none)", StringComparison.Ordinal));
        await Assert.That(result.Errors).Contains(error => error.Contains("GEMINI_THOUGHT_SIGNATURES_ENABLED", StringComparison.Ordinal)
            && error.Contains("must be true or false", StringComparison.Ordinal));
        await Assert.That(result.Errors).Contains(error => error.Contains("THOUGHT_SIGNATURE_CACHE_TTL", StringComparison.Ordinal));
    }

    [Test]
    public async Task ModelAlternatives_AreSeparatedByBars_DuplicatesRunOnce()
    {
        var result = TestVariables.Load(("OPENROUTER_API_KEY", "sk-or"),
            ("OPENROUTER_MIDDLEWARE", "gemini-thought-signatures:google/gemini-*|*/gemma-*, gemini-thought-signatures"));
        var selection = result.Settings!.FindProvider("openrouter")!.Middleware.Single();

        await Assert.That(selection.AppliesTo("google/gemini-2.5-pro")).IsTrue();
        await Assert.That(selection.AppliesTo("google/gemma-3")).IsTrue();
        await Assert.That(selection.AppliesTo("openai/gpt-4o")).IsFalse();
        await Assert.That(result.Warnings).Contains(warning => warning.Contains("lists gemini-thought-signatures more than once", StringComparison.Ordinal));
    }

    [Test]
    public async Task EmptyModelGlob_IsAnError()
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "sk-1"), ("OPENAI_MIDDLEWARE", "gemini-thought-signatures:"));

        await Assert.That(result.Errors).Contains(error => error.Contains("names no models after ':'", StringComparison.Ordinal));
    }

    [Test]
    public async Task StoreBounds_AreRead()
    {
        var settings = TestVariables.Settings(("THOUGHT_SIGNATURE_MAX_CACHE_SIZE", "50"), ("THOUGHT_SIGNATURE_CACHE_TTL", "120"));

        await Assert.That((settings.ThoughtSignatures.MaxCacheSize, settings.ThoughtSignatures.CacheTtl)).IsEqualTo((50, TimeSpan.FromSeconds(120)));
    }
}
