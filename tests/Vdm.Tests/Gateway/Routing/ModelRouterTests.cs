using static Vdm.Tests.Gateway.Routing.RouterFixture;

namespace Vdm.Tests.Gateway.Routing;

public class ModelRouterTests
{
    private static readonly (string, string)[] ThreeProviders =
    [
        ("OPENAI_API_KEY", "k"), ("OLLAMA_API_KEY", "k"), ("OPENROUTER_API_KEY", "k"), ("VDM_DEFAULT_PROVIDER", "ollama"),
    ];

    [Test]
    [Arguments("openrouter:qwen/qwen3:free", "openrouter qwen/qwen3:free -")]
    [Arguments("ollama:qwen2.5:7b", "ollama qwen2.5:7b -")]
    [Arguments("OpenAI:GPT-4o", "openai GPT-4o -")]
    [Arguments("OLLAMA:Llama3:8B", "ollama Llama3:8B -")]
    [Arguments("  openai:gpt-4o  ", "openai gpt-4o -")]
    public async Task TryResolve_ProviderPrefix_SplitsAtTheFirstColonAndKeepsTheModelsCase(string requested, string expected)
    {
        var router = Router(ThreeProviders);

        var result = Resolve(router, requested);

        await Assert.That(result).IsEqualTo(expected);
    }

    [Test]
    [Arguments("gpt-4o", "ollama gpt-4o -")]
    [Arguments("Qwen3-Coder", "ollama Qwen3-Coder -")]
    [Arguments("qwen2.5:7b", "ollama qwen2.5:7b -")]
    [Arguments("qwen/qwen3:free", "ollama qwen/qwen3:free -")]
    [Arguments("hf.co/unsloth/model:Q4_K_M", "ollama hf.co/unsloth/model:Q4_K_M -")]
    public async Task TryResolve_NoProviderPrefix_GoesToTheDefaultProvider(string requested, string expected)
    {
        var router = Router(ThreeProviders);

        var result = Resolve(router, requested);

        await Assert.That(result).IsEqualTo(expected);
    }

    [Test]
    [Arguments("groq:llama3", "groq")]
    [Arguments("llama3:8b", "llama3")]
    [Arguments("my_llm-2:x", "my_llm-2")]
    [Arguments("!Groq:llama3", "Groq")]
    public async Task TryResolve_UnknownProviderPrefix_FailsNamingItAndTheConfiguredProviders(string requested, string prefix)
    {
        var router = Router(ThreeProviders);

        var ok = router.TryResolve(requested, out _, out var error);

        await Assert.That(ok).IsFalse();
        await Assert.That(error.Message).Contains($"Unknown provider '{prefix}'");
        await Assert.That(error.Message).Contains("Configured providers: ollama, openai, openrouter.");
        await Assert.That(error.Message).Contains("write ollama:");
    }

    [Test]
    public async Task TryResolve_ColonNameMatchingAnAlias_UsesTheAliasRatherThanAnUnknownProvider()
    {
        var router = Router([.. ThreeProviders, ("VDM_ALIAS_LLAMA3", "ollama:llama3.1:8b")]);

        var result = Resolve(router, "llama3:8b");

        await Assert.That(result).IsEqualTo("ollama llama3.1:8b llama3");
    }

    [Test]
    public async Task TryResolve_SeveralProvidersAndNoDefault_BareNameFailsAskingForAPrefixOrADefault()
    {
        var router = Router(("OPENAI_API_KEY", "k"), ("GROQ_API_KEY", "k"));

        var bare = Resolve(router, "gpt-4o");
        var prefixed = Resolve(router, "openai:gpt-4o");

        await Assert.That(bare).Contains("no provider prefix and no default provider is set");
        await Assert.That(bare).Contains("VDM_DEFAULT_PROVIDER");
        await Assert.That(bare).Contains("configured providers: groq, openai");
        await Assert.That(prefixed).IsEqualTo("openai gpt-4o -");
    }

    [Test]
    [Arguments("gpt-4o", "No provider is configured")]
    [Arguments("qwen2.5:7b", "No provider is configured")]
    [Arguments("openai:gpt-4o", "Add one by setting OPENAI_API_KEY")]
    public async Task TryResolve_NoProviders_FailsSayingHowToAddOne(string requested, string expected)
    {
        var router = Router();

        var result = Resolve(router, requested);

        await Assert.That(result).StartsWith("error: ");
        await Assert.That(result).Contains(expected);
        await Assert.That(result).Contains("_API_KEY");
    }

    [Test]
    [Arguments("!gpt-4o", "ollama gpt-4o -")]
    [Arguments("!fast-model", "ollama fast-model -")]
    [Arguments("!openai:gpt-4o", "openai gpt-4o -")]
    [Arguments("!openai:my-fast-one", "openai my-fast-one -")]
    [Arguments("! qwen2.5:7b", "ollama qwen2.5:7b -")]
    public async Task TryResolve_LeadingBang_SkipsAliases(string requested, string expected)
    {
        var router = Router([.. ThreeProviders, ("VDM_ALIAS_FAST", "openrouter:x"), ("VDM_ALIAS_GPT_4O", "openrouter:y"), ("OPENAI_ALIAS_FAST", "z")]);

        var result = Resolve(router, requested);

        await Assert.That(result).IsEqualTo(expected);
    }

    [Test]
    [Arguments("", "The model name is empty")]
    [Arguments("   ", "The model name is empty")]
    [Arguments("!", "The model name is empty")]
    [Arguments("openai:", "names provider 'openai' but no model")]
    public async Task TryResolve_NoModel_Fails(string requested, string expected)
    {
        var router = Router(ThreeProviders);

        var result = Resolve(router, requested);

        await Assert.That(result).Contains(expected);
    }

    [Test]
    public async Task TryResolve_BareNameAndAlias_AllocateNothing()
    {
        var router = Router([.. ThreeProviders, ("VDM_ALIAS_SONNET", "openai:gpt-4o")]);
        const string bare = "llama3.1-8b-instruct";
        const string aliased = "claude-sonnet-4-5-20250929";
        router.TryResolve(bare, out _, out _);
        router.TryResolve(aliased, out _, out _);

        var before = GC.GetAllocatedBytesForCurrentThread();
        router.TryResolve(bare, out var bareRoute, out _);
        router.TryResolve(aliased, out var aliasRoute, out _);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        await Assert.That(allocated).IsEqualTo(0);
        await Assert.That(ReferenceEquals(bareRoute.Model, bare)).IsTrue();
        await Assert.That(aliasRoute.Model).IsEqualTo("gpt-4o");
    }
}
