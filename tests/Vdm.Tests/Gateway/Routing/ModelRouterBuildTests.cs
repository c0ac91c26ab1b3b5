using static Vdm.Tests.Gateway.Routing.RouterFixture;

namespace Vdm.Tests.Gateway.Routing;

/// <summary>What <c>ModelRouter.Build</c> reports about the aliases, and how reported aliases behave when used.</summary>
public class ModelRouterBuildTests
{
    private static readonly (string, string)[] OpenAI = [("OPENAI_API_KEY", "k")];

    private static (string, string)[] Chain(int aliases) =>
    [
        .. OpenAI,
        .. Enumerable.Range(0, aliases).Select(i => ($"VDM_ALIAS_S{i:D2}", i == aliases - 1 ? "openai:end-model" : $"s{i + 1:D2}")),
    ];

    [Test]
    public async Task Build_ValidAliases_ReportsNothing()
    {
        var (_, errors, warnings) = Build([.. OpenAI, ("VDM_ALIAS_SONNET", "openai:gpt-4o"), ("OPENAI_ALIAS_GPT_4O", "gpt-4o")]);

        await Assert.That(errors).IsEmpty();
        await Assert.That(warnings).IsEmpty();
    }

    [Test]
    [Arguments(2, "openai end-model s00")]
    [Arguments(11, "openai end-model s00")]
    public async Task Build_ChainOfAtMostTenSteps_IsFollowed(int aliases, string expected)
    {
        var (router, errors, _) = Build(Chain(aliases));

        var result = Resolve(router, "s00");

        await Assert.That(errors).IsEmpty();
        await Assert.That(result).IsEqualTo(expected);
    }

    [Test]
    public async Task Build_ChainOfElevenSteps_IsAnError()
    {
        var (router, errors, _) = Build(Chain(12));

        var first = Resolve(router, "s00");
        var second = Resolve(router, "s01");

        await Assert.That(errors).HasSingleItem();
        await Assert.That(errors[0]).StartsWith("alias chain longer than 10 steps: VDM_ALIAS_S00 -> VDM_ALIAS_S01 -> ");
        await Assert.That(errors[0]).EndsWith("-> VDM_ALIAS_S11");
        await Assert.That(first).StartsWith("error: Model 's00' matched alias 's00' (VDM_ALIAS_S00), which cannot be used: alias chain longer");
        await Assert.That(second).IsEqualTo("openai end-model s01");
    }

    [Test]
    [Arguments("VDM_ALIAS_A", "b", "VDM_ALIAS_B", "a", "a")]
    [Arguments("OPENAI_ALIAS_A", "openai:b", "OPENAI_ALIAS_B", "openai:a", "openai:b")]
    [Arguments("OPENAI_ALIAS_A", "b", "OPENAI_ALIAS_B", "A", "a")]
    public async Task Build_AliasCycle_IsAnErrorNamingTheAliases(string first, string firstTarget, string second, string secondTarget, string requested)
    {
        var (router, errors, _) = Build([.. OpenAI, (first, firstTarget), (second, secondTarget), ("VDM_ALIAS_C", "a")]);

        var result = Resolve(router, requested);
        var viaCycle = Resolve(router, "c");

        await Assert.That(errors).HasSingleItem();
        await Assert.That(errors[0]).StartsWith("alias cycle ");
        await Assert.That(errors[0]).Contains(first);
        await Assert.That(errors[0]).Contains(second);
        await Assert.That(result).Contains("which cannot be used: alias cycle");
        await Assert.That(viaCycle).Contains("which cannot be used: alias cycle");
    }

    [Test]
    public async Task Build_TargetOnAnUnconfiguredProvider_WarnsAndFailsWhenUsed()
    {
        var (router, errors, warnings) = Build([.. OpenAI, ("VDM_ALIAS_FAST", "nope:model-x")]);

        var result = Resolve(router, "my-fast-model");

        await Assert.That(errors).IsEmpty();
        await Assert.That(warnings).HasSingleItem();
        await Assert.That(warnings[0]).Contains("VDM_ALIAS_FAST=nope:model-x: provider 'nope' is not configured (configured: openai)");
        await Assert.That(result).StartsWith("error: Model 'my-fast-model' matched alias 'fast' (VDM_ALIAS_FAST), which cannot be used:");
        await Assert.That(result).Contains("provider 'nope' is not configured");
    }

    [Test]
    public async Task Build_FallbackListWithAnUnconfiguredProvider_WarnsAndKeepsTheRest()
    {
        var (router, _, warnings) = Build([.. OpenAI, ("VDM_ALIAS_BEST", "nope:x,openai:gpt-4o")]);

        var ok = router.TryResolve("best", out var route, out _);

        await Assert.That(warnings).HasSingleItem();
        await Assert.That(ok).IsTrue();
        await Assert.That(route.Model).IsEqualTo("gpt-4o");
        await Assert.That(route.Fallbacks.Length).IsEqualTo(0);
    }

    [Test]
    public async Task Build_BareTargetWithoutADefaultProvider_WarnsAndFailsWhenUsed()
    {
        var (router, _, warnings) = Build(("OPENAI_API_KEY", "k"), ("GROQ_API_KEY", "k"), ("VDM_ALIAS_FAST", "gpt-4o-mini"));

        var result = Resolve(router, "fast");

        await Assert.That(warnings.Any(w => w.Contains("VDM_ALIAS_FAST=gpt-4o-mini: 'gpt-4o-mini' has no provider prefix"))).IsTrue();
        await Assert.That(result).Contains("write it as provider:gpt-4o-mini");
    }

    [Test]
    public async Task Build_EmptyModelInTarget_IsAnError()
    {
        var (_, errors, _) = Build([.. OpenAI, ("VDM_ALIAS_FAST", "openai:")]);

        await Assert.That(errors).HasSingleItem();
        await Assert.That(errors[0]).Contains("VDM_ALIAS_FAST=openai:");
    }

    [Test]
    public async Task Build_TwoVariablesForOneAlias_WarnsAndKeepsOne()
    {
        var (router, _, warnings) = Build([.. OpenAI, ("VDM_ALIAS_A_B", "openai:one"), ("VDM_ALIAS_A-B", "openai:two")]);

        var result = Resolve(router, "a-b");

        await Assert.That(warnings).HasSingleItem();
        await Assert.That(warnings[0]).Contains("another variable defines the same alias");
        await Assert.That(result).IsEqualTo("openai two a-b");
    }

    [Test]
    public async Task Build_GlobalAndScopedAliasOfOneName_AreNotACycle()
    {
        var (router, errors, _) = Build([.. OpenAI, ("VDM_ALIAS_A", "openai:b"), ("OPENAI_ALIAS_B", "openai:a")]);

        var result = Resolve(router, "openai:b");

        await Assert.That(errors).IsEmpty();
        await Assert.That(result).IsEqualTo("openai a b");
    }
}
