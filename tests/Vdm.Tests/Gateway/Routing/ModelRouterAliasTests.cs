using static Vdm.Tests.Gateway.Routing.RouterFixture;

namespace Vdm.Tests.Gateway.Routing;

/// <summary>Smart-alias matching and targets; chains, cycles and build diagnostics are in <see cref="ModelRouterBuildTests"/>.</summary>
public class ModelRouterAliasTests
{
    private static readonly (string, string)[] Aliases =
    [
        ("OPENAI_API_KEY", "k"), ("GROQ_API_KEY", "k"), ("VDM_DEFAULT_PROVIDER", "openai"),
        ("VDM_ALIAS_SONNET", "openai:gpt-4o"),
        ("VDM_ALIAS_FAST", "groq:llama-3.1-8b-instant"),
        ("VDM_ALIAS_QUICK", "openai:gpt-4o-mini"),
        ("VDM_ALIAS_SWIFT", "openai:gpt-4.1-nano"),
        ("VDM_ALIAS_FLASH", "openai:flash-model"),
        ("VDM_ALIAS_GEMINI_FLASH", "openai:Gemini-X"),
        ("OPENAI_ALIAS_HAIKU", "gpt-4o-mini"),
        ("GROQ_ALIAS_TINY", "llama-3.2-1b"),
        ("GROQ_ALIAS_HAIKU", "llama-tiny"),
    ];

    [Test]
    [Arguments("claude-sonnet-4-5-20250929", "openai gpt-4o sonnet")]
    [Arguments("SONNET", "openai gpt-4o sonnet")]
    [Arguments("my-FAST_model", "groq llama-3.1-8b-instant fast")]
    [Arguments("swift-quick-model", "openai gpt-4o-mini quick")]
    [Arguments("gemini_flash-latest", "openai Gemini-X gemini_flash")]
    [Arguments("Gemini-Flash", "openai Gemini-X gemini_flash")]
    [Arguments("flash", "openai flash-model flash")]
    [Arguments("claude-3-5-haiku-20241022", "openai gpt-4o-mini haiku")]
    [Arguments("gpt-4o", "openai gpt-4o -")]
    [Arguments("tiny", "openai tiny -")]
    public async Task TryResolve_BareName_MatchesGlobalAndDefaultProviderAliases(string requested, string expected)
    {
        var router = Router(Aliases);

        var result = Resolve(router, requested);

        await Assert.That(result).IsEqualTo(expected);
    }

    [Test]
    [Arguments("groq:tiny", "groq llama-3.2-1b tiny")]
    [Arguments("GROQ:My_Tiny-One", "groq llama-3.2-1b tiny")]
    [Arguments("groq:claude-haiku-4-5", "groq llama-tiny haiku")]
    [Arguments("groq:claude-sonnet-4-5", "groq claude-sonnet-4-5 -")]
    [Arguments("openai:claude-haiku-4-5", "openai gpt-4o-mini haiku")]
    [Arguments("openai:fast", "openai fast -")]
    public async Task TryResolve_PrefixedName_MatchesOnlyThatProvidersAliases(string requested, string expected)
    {
        var router = Router(Aliases);

        var result = Resolve(router, requested);

        await Assert.That(result).IsEqualTo(expected);
    }

    [Test]
    [Arguments("openai", "claude-sonnet-4-5", "openai gpt-4o sonnet")]
    [Arguments("groq", "claude-sonnet-4-5", "groq llama-3.3-70b sonnet")]
    public async Task TryResolve_SameNameScopedAndGlobal_DefaultProvidersOwnAliasWins(string defaultProvider, string requested, string expected)
    {
        var router = Router(
            ("OPENAI_API_KEY", "k"), ("GROQ_API_KEY", "k"), ("VDM_DEFAULT_PROVIDER", defaultProvider),
            ("VDM_ALIAS_SONNET", "openai:gpt-4o"), ("GROQ_ALIAS_SONNET", "llama-3.3-70b"));

        var result = Resolve(router, requested);

        await Assert.That(result).IsEqualTo(expected);
    }

    [Test]
    [Arguments("ollama:small", "ollama qwen2.5:7b small")]
    [Arguments("poe:x", "openai gpt-4o x")]
    [Arguments("poe:y", "poe some/model:free y")]
    [Arguments("big", "openai gpt-4o big")]
    [Arguments("docs", "poe deepseek-v3.2 docs")]
    [Arguments("raw", "poe ds raw")]
    [Arguments("openai:my-gpt_4O-variant", "openai gpt-4o gpt_4o")]
    [Arguments("cheap", "ollama qwen2.5:7b cheap")]
    public async Task TryResolve_AliasTarget_IsResolvedLikeARequestedName(string requested, string expected)
    {
        var router = Router(
            ("OPENAI_API_KEY", "k"), ("POE_API_KEY", "k"), ("OLLAMA_API_KEY", "k"), ("VDM_DEFAULT_PROVIDER", "openai"),
            ("OLLAMA_ALIAS_SMALL", "qwen2.5:7b"),
            ("POE_ALIAS_X", "openai:gpt-4o"),
            ("POE_ALIAS_Y", "some/model:free"),
            ("VDM_ALIAS_SONNET", "openai:gpt-4o"),
            ("VDM_ALIAS_BIG", "sonnet"),
            ("VDM_ALIAS_DOCS", "poe:ds"),
            ("POE_ALIAS_DS", "deepseek-v3.2"),
            ("VDM_ALIAS_RAW", "!poe:ds"),
            ("OPENAI_ALIAS_GPT_4O", "gpt-4o"),
            ("VDM_ALIAS_CHEAP", "ollama:small"));

        var result = Resolve(router, requested);

        await Assert.That(result).IsEqualTo(expected);
    }

    [Test]
    public async Task TryResolve_FallbackList_RoutesToTheFirstAndExposesAll()
    {
        var router = Router(
            ("OPENAI_API_KEY", "k"), ("ANTHROPIC_API_KEY", "k"), ("VDM_DEFAULT_PROVIDER", "openai"),
            ("VDM_ALIAS_BEST", "openai:gpt-4o, anthropic:claude-sonnet-4-5"));

        var ok = router.TryResolve("best", out var route, out _);

        await Assert.That(ok).IsTrue();
        await Assert.That($"{route.Provider.Name} {route.Model} {route.Alias}").IsEqualTo("openai gpt-4o best");
        await Assert.That(route.Fallbacks.Select(target => $"{target.Provider.Name}:{target.Model}"))
            .IsEquivalentTo(["openai:gpt-4o", "anthropic:claude-sonnet-4-5"]);
    }

    [Test]
    [Arguments("gpt-4o")]
    [Arguments("claude-sonnet-4-5")]
    public async Task TryResolve_SingleTarget_HasNoFallbacks(string requested)
    {
        var router = Router(("OPENAI_API_KEY", "k"), ("VDM_ALIAS_SONNET", "openai:gpt-4o"));

        router.TryResolve(requested, out var route, out _);

        await Assert.That(route.Fallbacks.IsDefault).IsFalse();
        await Assert.That(route.Fallbacks.Length).IsEqualTo(0);
    }

    [Test]
    [Arguments("claude-3-5-haiku-20241022", "openai gpt-4o-mini haiku")]
    [Arguments("claude-haiku-4-5-20251001", "openai gpt-4o-mini haiku")]
    [Arguments("claude-sonnet-4-5-20250929", "anthropic claude-sonnet-4-5 sonnet")]
    [Arguments("claude-opus-4-1-20250805", "openrouter qwen/qwen3-coder:free opus")]
    [Arguments("!claude-opus-4-1-20250805", "anthropic claude-opus-4-1-20250805 -")]
    public async Task TryResolve_ClaudeCodeModelNames_MapThroughTheFamilyAliases(string requested, string expected)
    {
        var router = Router(
            ("OPENAI_API_KEY", "k"), ("ANTHROPIC_API_KEY", "k"), ("OPENROUTER_API_KEY", "k"), ("VDM_DEFAULT_PROVIDER", "anthropic"),
            ("VDM_ALIAS_HAIKU", "openai:gpt-4o-mini"),
            ("VDM_ALIAS_SONNET", "anthropic:claude-sonnet-4-5"),
            ("VDM_ALIAS_OPUS", "openrouter:qwen/qwen3-coder:free"));

        var result = Resolve(router, requested);

        await Assert.That(result).IsEqualTo(expected);
    }

    [Test]
    public async Task TryResolve_ManyThreads_AgreeWithOneThread()
    {
        var router = Router(Aliases);
        string[] names = ["claude-sonnet-4-5", "groq:tiny", "swift-quick-model", "gpt-4o", "nope:x"];
        var expected = names.Select(name => Resolve(router, name)).ToArray();

        var results = new string[2000];
        Parallel.For(0, results.Length, i => results[i] = Resolve(router, names[i % names.Length]));

        await Assert.That(results.Where((result, i) => result != expected[i % names.Length])).IsEmpty();
    }
}
