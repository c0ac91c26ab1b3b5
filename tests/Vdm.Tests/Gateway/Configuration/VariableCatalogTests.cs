using Vdm.Gateway.Configuration;

namespace Vdm.Tests.Gateway.Configuration;

public class VariableCatalogTests
{
    [Test]
    [Arguments("OPENAI_API_KEY", true)]
    [Arguments("PROXY_API_KEY", true)]
    [Arguments("MY_LLM_API_KEY", true)]
    [Arguments("CUSTOM_HEADER_X_API_KEY", true)]
    [Arguments("OPENAI_CUSTOM_HEADER_AUTHORIZATION", true)]
    [Arguments("CUSTOM_HEADER_X_AUTH_TOKEN", true)]
    [Arguments("CUSTOM_HEADER_X_CLIENT_SECRET", true)]
    [Arguments("CUSTOM_HEADER_COOKIE", true)]
    [Arguments("POE_CUSTOM_HEADER_X_PASSWORD", true)]
    [Arguments("CUSTOM_HEADER_X_TEAM", false)]
    [Arguments("OPENAI_CUSTOM_HEADER_X_TEAM", false)]
    [Arguments("MAX_TOKENS_LIMIT", false)]
    [Arguments("OPENAI_BASE_URL", false)]
    [Arguments("OPENAI_API_FORMAT", false)]
    [Arguments("OPENAI_AUTH_MODE", false)]
    [Arguments("PORT", false)]
    [Arguments("VDM_DEFAULT_PROVIDER", false)]
    public async Task IsSecret_Variable_IsTrueForKeysAndCredentialHeaders(string name, bool expected)
    {
        var secret = VariableCatalog.IsSecret(name);

        await Assert.That(secret).IsEqualTo(expected);
    }

    [Test]
    public async Task Defaults_HoldTheBuiltInServerAndUpstreamValues()
    {
        var defaults = VariableCatalog.Defaults;

        await Assert.That(defaults.Keys).IsEquivalentTo(["HOST", "PORT", "LOG_LEVEL", "LOG_FORMAT", "METRICS_MAX_MODELS", "VDM_MIDDLEWARE", "GEMINI_THOUGHT_SIGNATURES_ENABLED", "THOUGHT_SIGNATURE_MAX_CACHE_SIZE", "THOUGHT_SIGNATURE_CACHE_TTL", "MAX_REQUEST_BYTES", "SHUTDOWN_TIMEOUT_SECONDS", "REQUEST_TIMEOUT",
            "STREAMING_CONNECT_TIMEOUT_SECONDS", "STREAMING_READ_TIMEOUT_SECONDS", "MAX_RETRIES", "RETRY_AFTER_MAX_SECONDS", "KEY_COOLDOWN_SECONDS"]);
        await Assert.That(defaults["HOST"]).IsEqualTo("127.0.0.1");
        await Assert.That(defaults["PORT"]).IsEqualTo("8082");
        await Assert.That(defaults["LOG_LEVEL"]).IsEqualTo("INFO");
        await Assert.That(defaults["REQUEST_TIMEOUT"]).IsEqualTo("600");
        await Assert.That(defaults["MAX_RETRIES"]).IsEqualTo("2");
        await Assert.That(defaults["MAX_REQUEST_BYTES"]).IsEqualTo("33554432");
    }

    [Test]
    public async Task Defaults_LoadWithoutErrors()
    {
        var result = SettingsLoader.Load(new LayeredVariables([new ConfigLayer(ConfigSourceKind.Default, "default", VariableCatalog.Defaults)]));

        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(result.Errors.Count).IsEqualTo(0);
    }

    [Test]
    public async Task All_Names_AreUnique()
    {
        var names = VariableCatalog.All.Select(spec => spec.Name).ToList();

        await Assert.That(names.Distinct(StringComparer.Ordinal).Count()).IsEqualTo(names.Count);
    }

    [Test]
    public async Task All_DocumentsEveryGlobalVariable()
    {
        var names = VariableCatalog.All.Select(spec => spec.Name).ToHashSet(StringComparer.Ordinal);

        await Assert.That(names.IsSupersetOf(
            ["HOST", "PORT", "LOG_LEVEL", "PROXY_API_KEY", "VDM_DEFAULT_PROVIDER", "REQUEST_TIMEOUT", "MAX_RETRIES",
             "MAX_TOKENS_LIMIT", "MIN_TOKENS_LIMIT"])).IsTrue();
    }
}
