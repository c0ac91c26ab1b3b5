using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Configuration;

public class ConfigChangesTests
{
    private static LayeredVariables Read((string, string)[] env, (string, string)[] file) =>
        TestVariables.Layers(
            TestVariables.Layer(ConfigSourceKind.Environment, "env", env),
            TestVariables.Layer(ConfigSourceKind.ProjectFile, "./.env", file));

    private static ConfigChanges Compare((string, string)[] env, (string, string)[] before, (string, string)[] after)
    {
        var (old, current) = (Read(env, before), Read(env, after));
        return ConfigChanges.Between(old, current, SettingsLoader.Load(old).Settings!, SettingsLoader.Load(current).Settings);
    }

    [Test]
    public async Task Between_ChangedAddedRemoved_AreNamedInOrder()
    {
        var changes = Compare([], [("OPENAI_API_KEY", "a"), ("MAX_RETRIES", "1")], [("OPENAI_API_KEY", "b"), ("VDM_ALIAS_X", "openai:y")]);

        await Assert.That(changes.Changed).IsEquivalentTo(["MAX_RETRIES", "OPENAI_API_KEY", "VDM_ALIAS_X"]);
        await Assert.That(changes.Sources).IsEquivalentTo(["./.env"]);
        await Assert.That(changes.NeedRestart).IsEmpty();
        await Assert.That(changes.IsEmpty).IsFalse();
    }

    [Test]
    public async Task Between_RestartOnlyWithTheSameMeaning_IsNoChange()
    {
        var changes = Compare([], [("LOG_LEVEL", "INFO")], [("LOG_LEVEL", "info")]);

        await Assert.That(changes.IsEmpty).IsTrue();
    }

    [Test]
    public async Task Between_OverriddenByTheEnvironment_IsNotAChange()
    {
        var changes = Compare([("MAX_RETRIES", "3")], [("MAX_RETRIES", "1")], [("MAX_RETRIES", "5")]);

        await Assert.That(changes.IsEmpty).IsTrue();
        await Assert.That(changes.Overridden).IsEquivalentTo(["MAX_RETRIES (env wins)"]);
    }

    [Test]
    public async Task Applicable_KeepsEveryRestartOnlySetting()
    {
        var running = TestVariables.Settings(("PORT", "1000")) with { RetryBaseDelay = TimeSpan.FromMilliseconds(1) };
        var loaded = TestVariables.Settings(("PORT", "2000"), ("HOST", "0.0.0.0"), ("MAX_RETRIES", "9"));

        var applied = ConfigChanges.Applicable(running, loaded);

        await Assert.That((applied.Port, applied.Host, applied.MaxRetries)).IsEqualTo((1000, "127.0.0.1", 9));
        await Assert.That(applied.RetryBaseDelay).IsEqualTo(TimeSpan.FromMilliseconds(1));
    }
}
