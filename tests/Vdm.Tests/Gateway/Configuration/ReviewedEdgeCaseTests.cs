using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Configuration;

/// <summary>Edge cases found in review: empty values, orphan OAuth, misleading follow-on errors, stray key names.</summary>
public class ReviewedEdgeCaseTests
{
    [Test]
    public async Task Load_EmptyValueInTheEnvironment_DoesNotHideTheFileValue()
    {
        var result = TestVariables.LoadEnvAndFile([("PORT", ""), ("HOST", " "), ("LOG_LEVEL", "")], ("PORT", "9000"), ("HOST", "0.0.0.0"), ("LOG_LEVEL", "DEBUG"));

        await Assert.That(result.Settings!.Port).IsEqualTo(9000);
        await Assert.That(result.Settings.Host).IsEqualTo("0.0.0.0");
        await Assert.That(result.Settings.LogLevel).IsEqualTo(Microsoft.Extensions.Logging.LogLevel.Debug);
    }

    [Test]
    public async Task Load_EmptyValueEverywhere_MeansTheDefault()
    {
        var result = TestVariables.LoadEnvAndFile([("HOST", ""), ("LOG_LEVEL", ""), ("REQUEST_TIMEOUT", "")]);

        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(result.Settings!.Host).IsEqualTo("127.0.0.1");
        await Assert.That(result.Settings.RequestTimeout).IsEqualTo(TimeSpan.FromSeconds(600));
    }

    [Test]
    public async Task Load_EmptyCustomHeader_IsNotSent()
    {
        var result = TestVariables.LoadEnvAndFile([("OPENAI_API_KEY", "k"), ("CUSTOM_HEADER_X_TEAM", ""), ("OPENAI_CUSTOM_HEADER_X_ORG", "acme")]);

        await Assert.That(result.Settings!.Providers[0].Headers.Select(h => h.Key)).IsEquivalentTo(["X-ORG"]);
    }

    [Test]
    public async Task Load_OAuthModeWithoutAKey_IsStillNotSupported()
    {
        var result = TestVariables.LoadEnvAndFile([("CHATGPT_AUTH_MODE", "oauth")]);

        await Assert.That(result.Errors).IsEquivalentTo(["CHATGPT_AUTH_MODE=oauth (env): OAuth is not supported yet; use an API key or !PASSTHRU"]);
    }

    [Test]
    public async Task Load_DefaultProviderWhoseSettingsFailed_GetsNoSecondMisleadingError()
    {
        var result = TestVariables.LoadEnvAndFile([("MYLLM_API_KEY", "k"), ("VDM_DEFAULT_PROVIDER", "myllm")]);

        await Assert.That(result.Errors).IsEquivalentTo(
            ["MYLLM_BASE_URL is not set: 'myllm' is not a built-in provider, so vdm needs its URL (such as https://api.example.com/v1)"]);
    }

    [Test]
    public async Task Load_MinAboveMax_NamesBothSources()
    {
        var result = TestVariables.LoadEnvAndFile([("MAX_TOKENS_LIMIT", "4096")], ("MIN_TOKENS_LIMIT", "8192"));

        await Assert.That(result.Errors).IsEquivalentTo(
            ["MIN_TOKENS_LIMIT=8192 (./.env) is above MAX_TOKENS_LIMIT=4096 (env): the floor must not exceed the cap"]);
    }

    [Test]
    public async Task Load_ProviderCapBelowTheGlobalFloor_IsAnError()
    {
        var result = TestVariables.LoadEnvAndFile([("OPENAI_API_KEY", "k"), ("OPENAI_MAX_TOKENS_LIMIT", "512"), ("MIN_TOKENS_LIMIT", "1024")]);

        await Assert.That(result.Errors).IsEquivalentTo(
            ["OPENAI_MAX_TOKENS_LIMIT=512 (env) is below MIN_TOKENS_LIMIT=1024 (env): the cap must not be under the floor"]);
    }

    [Test]
    public async Task Load_LowerCaseKeyNameInAFile_IsIgnoredWithAWarning()
    {
        var result = TestVariables.LoadEnvAndFile([], ("openai_api_key", "sk-x"));

        await Assert.That(result.Settings!.Providers).IsEmpty();
        await Assert.That(result.Warnings).IsEquivalentTo(["openai_api_key: ignored, variable names are case-sensitive (did you mean OPENAI_API_KEY?)"]);
    }

    [Test]
    public async Task Load_LowerCaseKeyNameInTheEnvironment_IsIgnoredSilently()
    {
        var result = TestVariables.LoadEnvAndFile([("some_tool_api_key", "x")]);

        await Assert.That(result.Warnings).IsEmpty();
    }

    [Test]
    [Arguments("VDM_ALIAS_X_API_KEY")]
    [Arguments("POE_ALIAS_API_KEY")]
    [Arguments("AZURE_CUSTOM_HEADER_API_KEY")]
    public async Task Load_AliasAndHeaderVariablesEndingInApiKey_AreNotProviders(string name)
    {
        var result = TestVariables.LoadEnvAndFile([(name, "value")]);

        await Assert.That(result.Settings!.Providers).IsEmpty();
        await Assert.That(result.Warnings).IsEmpty();
    }

    [Test]
    public async Task Load_BaseUrlSource_IsTheLayerActuallyUsed()
    {
        var result = TestVariables.LoadEnvAndFile([("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_BASE_URL", "http://localhost:8082")], ("ANTHROPIC_BASE_URL", "https://gw.example.com/"));
        var provider = result.Settings!.FindProvider("anthropic")!;

        await Assert.That(provider.BaseUrl.OriginalString).IsEqualTo("https://gw.example.com");
        await Assert.That(provider.BaseUrlSource).IsEqualTo("./.env");
    }

    [Test]
    public async Task Load_BuiltInBaseUrl_SaysSo()
    {
        var result = TestVariables.LoadEnvAndFile([("OPENAI_API_KEY", "k"), ("OPENAI_BASE_URL", "")]);

        await Assert.That(result.Settings!.Providers[0].BaseUrlSource).IsEqualTo("built-in");
    }

    [Test]
    public async Task Load_EmptyAliasInTheEnvironment_DoesNotHideTheFileAlias()
    {
        var result = TestVariables.LoadEnvAndFile([("VDM_ALIAS_FAST", "")], ("VDM_ALIAS_FAST", "poe:gemini-flash"));

        await Assert.That(result.Settings!.Aliases.Single().Target).IsEqualTo("poe:gemini-flash");
    }

    [Test]
    public async Task Load_UnknownKeyWithAnEmptyBaseUrl_IsSkippedLikeOneWithout()
    {
        var result = TestVariables.LoadEnvAndFile([("STRIPE_API_KEY", "sk"), ("STRIPE_BASE_URL", "")]);

        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(result.Warnings.Single()).Contains("skipped");
    }

    [Test]
    [Arguments("CUSTOM_HEADER_X_AUTH_MODE")]
    [Arguments("VDM_ALIAS_AUTH_MODE")]
    [Arguments("OPENAI_CUSTOM_HEADER_X_AUTH_MODE")]
    public async Task Load_HeaderOrAliasNamedLikeAnAuthMode_IsNotAnOAuthRequest(string name)
    {
        var result = TestVariables.LoadEnvAndFile([(name, "oauth")]);

        await Assert.That(result.Errors).IsEmpty();
    }

    [Test]
    public async Task Load_MixedCaseKeyNameInAFile_IsWarnedAbout()
    {
        var result = TestVariables.LoadEnvAndFile([], ("OpenAI_API_KEY", "sk"));

        await Assert.That(result.Warnings).IsEquivalentTo(["OpenAI_API_KEY: ignored, variable names are case-sensitive (did you mean OPENAI_API_KEY?)"]);
    }
}
