using Vdm.Conversion;
using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Configuration;

public class ProviderDiscoveryTests
{
    private const string UrlRule = "must be an absolute http:// or https:// URL without a query, such as https://api.example.com/v1";

    private static ProviderSettings Provider(string name, params (string Name, string Value)[] env) =>
        TestVariables.Settings(env).FindProvider(name) ?? throw new InvalidOperationException($"provider '{name}' was not registered");

    private static string[] Names(GatewaySettings settings) => [.. settings.Providers.Select(provider => provider.Name)];

    private static string[] Headers(ProviderSettings provider) => [.. provider.Headers.Select(header => $"{header.Key}: {header.Value}")];

    private static string AllMessages(SettingsLoadResult result) => string.Join("\n", result.Errors.Concat(result.Warnings));

    [Test]
    public async Task Discover_KnownProviderKey_RegistersItWithBuiltInSettings()
    {
        var provider = Provider("openai", ("OPENAI_API_KEY", "sk-1"));

        await Assert.That(provider.Name).IsEqualTo("openai");
        await Assert.That(provider.BaseUrl.OriginalString).IsEqualTo("https://api.openai.com/v1");
        await Assert.That(provider.Format).IsEqualTo(ApiFormat.OpenAI);
        await Assert.That(provider.Auth).IsEqualTo(ProviderAuth.Static);
        await Assert.That(provider.Keys).IsEquivalentTo(["sk-1"]);
        await Assert.That(provider.ApiVersion).IsNull();
        await Assert.That(provider.Headers.Length).IsEqualTo(0);
        await Assert.That(provider.MaxTokensLimit).IsNull();
    }

    [Test]
    [Arguments("OPENAI", "https://api.openai.com/v1")]
    [Arguments("ANTHROPIC", "https://api.anthropic.com")]
    [Arguments("POE", "https://api.poe.com/v1")]
    [Arguments("OPENROUTER", "https://openrouter.ai/api/v1")]
    [Arguments("GEMINI", "https://generativelanguage.googleapis.com/v1beta/openai")]
    [Arguments("DEEPSEEK", "https://api.deepseek.com")]
    [Arguments("OLLAMA", "http://localhost:11434/v1")]
    public async Task Discover_KnownProvider_UsesItsBuiltInBaseUrl(string prefix, string expected)
    {
        var provider = Provider(prefix.ToLowerInvariant(), ($"{prefix}_API_KEY", "k"));

        await Assert.That(provider.BaseUrl.OriginalString).IsEqualTo(expected);
    }

    [Test]
    [Arguments("ANTHROPIC", "Anthropic")]
    [Arguments("OPENAI", "OpenAI")]
    [Arguments("POE", "OpenAI")]
    [Arguments("GEMINI", "OpenAI")]
    public async Task Discover_KnownProvider_UsesItsBuiltInFormat(string prefix, string expected)
    {
        var provider = Provider(prefix.ToLowerInvariant(), ($"{prefix}_API_KEY", "k"));

        await Assert.That(provider.Format).IsEqualTo(Enum.Parse<ApiFormat>(expected));
    }

    [Test]
    public async Task Discover_EveryKey_RegistersOneLowerCasedProvider()
    {
        var settings = TestVariables.Settings(
            ("OPENAI_API_KEY", "o"),
            ("GROQ_API_KEY", "g"),
            ("MY_LLM2_API_KEY", "m"),
            ("MY_LLM2_BASE_URL", "https://llm.example.com/v1"),
            ("VDM_DEFAULT_PROVIDER", "openai"));

        await Assert.That(Names(settings)).IsEquivalentTo(["groq", "my_llm2", "openai"]);
    }

    [Test]
    public async Task Discover_ProxyApiKey_IsNotAProvider()
    {
        var result = TestVariables.Load(("PROXY_API_KEY", "client-key"));

        await Assert.That(result.Settings!.Providers.Length).IsEqualTo(0);
        await Assert.That(result.Settings.ProxyApiKey).IsEqualTo("client-key");
        await Assert.That(result.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Discover_VdmApiKey_IsAReservedNameError()
    {
        var result = TestVariables.Load(("VDM_API_KEY", "sk-vdm-secret"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
            ["VDM_API_KEY (env): 'vdm' is reserved and cannot name a provider; to require a key from clients use PROXY_API_KEY"]);
        await Assert.That(AllMessages(result)).DoesNotContain("sk-vdm-secret");
    }

    [Test]
    [Arguments("openai_api_key")]
    [Arguments("OpenAI_API_KEY")]
    [Arguments("_API_KEY")]
    [Arguments("OPENAI__API_KEY")]
    [Arguments("_OPENAI_API_KEY")]
    [Arguments("OPEN-AI_API_KEY")]
    public async Task Discover_NameThatIsNotUpperCaseLettersDigitsAndUnderscores_IsIgnored(string variable)
    {
        var result = TestVariables.Load((variable, "sk-1"));

        await Assert.That(result.Settings!.Providers.Length).IsEqualTo(0);
        await Assert.That(result.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Discover_UnknownKeyWithoutBaseUrl_IsSkippedWithOneWarning()
    {
        var result = TestVariables.Load(("STRIPE_API_KEY", "sk_live_stripe_secret"), ("OPENAI_API_KEY", "o"));

        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(Names(result.Settings!)).IsEquivalentTo(["openai"]);
        await Assert.That(result.Warnings.Count).IsEqualTo(1);
        await Assert.That(result.Warnings[0]).Contains("STRIPE_API_KEY");
        await Assert.That(result.Warnings[0]).Contains("skipped");
        await Assert.That(result.Warnings[0]).DoesNotContain("sk_live_stripe_secret");
        await Assert.That(result.Warnings[0]).DoesNotContain("\n");
    }

    [Test]
    public async Task Discover_UnknownKeyThatIsTheDefaultProvider_IsKeptAndNeedsABaseUrl()
    {
        var result = TestVariables.Load(("STRIPE_API_KEY", "sk_live_x"), ("VDM_DEFAULT_PROVIDER", "stripe"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).Contains(
            "STRIPE_BASE_URL is not set: 'stripe' is not a built-in provider, so vdm needs its URL (such as https://api.example.com/v1)");
        await Assert.That(result.Warnings.Any(warning => warning.Contains("skipped", StringComparison.Ordinal))).IsFalse();
    }

    [Test]
    [Arguments("stripe:model")]
    [Arguments("Stripe:model")]
    [Arguments("!stripe:x")]
    [Arguments("openai:x,stripe:y")]
    [Arguments(" openai:x , !stripe:y ")]
    public async Task Discover_UnknownKeyThatIsAnAliasTarget_IsKeptAndNeedsABaseUrl(string target)
    {
        var result = TestVariables.Load(("STRIPE_API_KEY", "sk_live_x"), ("OPENAI_API_KEY", "o"), ("VDM_ALIAS_PAY", target));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
            ["STRIPE_BASE_URL is not set: 'stripe' is not a built-in provider, so vdm needs its URL (such as https://api.example.com/v1)"]);
    }

    [Test]
    public async Task Discover_UnknownKeyThatIsAnAliasTargetWithBaseUrl_IsRegistered()
    {
        var settings = TestVariables.Settings(
            ("STRIPE_API_KEY", "sk_live_x"), ("STRIPE_BASE_URL", "https://llm.stripe.example/v1"), ("VDM_ALIAS_PAY", "stripe:model"));

        await Assert.That(Names(settings)).IsEquivalentTo(["stripe"]);
        await Assert.That(settings.Providers[0].BaseUrl.OriginalString).IsEqualTo("https://llm.stripe.example/v1");
    }

    [Test]
    public async Task Discover_AliasNamingOnlyAModel_DoesNotKeepAnUnknownKey()
    {
        var result = TestVariables.Load(("STRIPE_API_KEY", "sk_live_x"), ("VDM_ALIAS_PAY", "stripe"));

        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(result.Settings!.Providers.Length).IsEqualTo(0);
        await Assert.That(result.Warnings.Count).IsEqualTo(1);
    }

    [Test]
    public async Task Discover_UnknownKeyWithBaseUrl_IsRegisteredAsOpenAiFormat()
    {
        var provider = Provider("myllm", ("MYLLM_API_KEY", "m-1"), ("MYLLM_BASE_URL", "https://llm.example.com/v1"));

        await Assert.That(provider.BaseUrl.OriginalString).IsEqualTo("https://llm.example.com/v1");
        await Assert.That(provider.Format).IsEqualTo(ApiFormat.OpenAI);
        await Assert.That(provider.Keys).IsEquivalentTo(["m-1"]);
    }

    [Test]
    public async Task Discover_UnknownKeyWithBaseUrlInALowerLayer_IsRegistered()
    {
        var variables = TestVariables.Layers(
            TestVariables.Layer(ConfigSourceKind.Environment, "env", ("MYLLM_API_KEY", "m-1")),
            TestVariables.Layer(ConfigSourceKind.UserFile, "~/.config/vdm/.env", ("MYLLM_BASE_URL", "https://llm.example.com/v1")));

        var settings = SettingsLoader.Load(variables).Settings!;

        await Assert.That(settings.FindProvider("myllm")!.BaseUrl.OriginalString).IsEqualTo("https://llm.example.com/v1");
    }

    [Test]
    [Arguments("")]
    [Arguments("   ")]
    public async Task Discover_EmptyKey_RegistersAProviderWithoutCredentials(string value)
    {
        var provider = Provider("ollama", ("OLLAMA_API_KEY", value));

        await Assert.That(provider.Auth).IsEqualTo(ProviderAuth.None);
        await Assert.That(provider.Keys.Length).IsEqualTo(0);
        await Assert.That(provider.AuthModeName).IsEqualTo("none");
    }

    [Test]
    public async Task Discover_KeysSeparatedBySpacesTabsAndNewlines_AreStaticKeysInOrder()
    {
        var provider = Provider("openai", ("OPENAI_API_KEY", "  k1 k2\tk3\nk4\r\n  k5 "));

        await Assert.That(provider.Auth).IsEqualTo(ProviderAuth.Static);
        await Assert.That(string.Join(",", provider.Keys)).IsEqualTo("k1,k2,k3,k4,k5");
    }

    [Test]
    public async Task Discover_RepeatedKeys_AreKeptOnceInFirstOrder()
    {
        var provider = Provider("openai", ("OPENAI_API_KEY", "k2 k1 k2 k3 k1"));

        await Assert.That(string.Join(",", provider.Keys)).IsEqualTo("k2,k1,k3");
    }

    [Test]
    public async Task Discover_StaticKeys_AreShownOnlyAsFingerprints()
    {
        var provider = Provider("openai", ("OPENAI_API_KEY", "k1 k2"));

        await Assert.That(provider.KeyFingerprints).IsEquivalentTo([KeyFingerprint.Of("k1"), KeyFingerprint.Of("k2")]);
        await Assert.That(provider.AuthModeName).IsEqualTo("static");
    }

    [Test]
    [Arguments("!PASSTHRU")]
    [Arguments("!passthru")]
    [Arguments(" !PASSTHRU ")]
    [Arguments("!PASSTHRU !PASSTHRU")]
    public async Task Discover_PassthroughSentinel_ForwardsTheClientKey(string value)
    {
        var provider = Provider("anthropic", ("ANTHROPIC_API_KEY", value));

        await Assert.That(provider.Auth).IsEqualTo(ProviderAuth.Passthrough);
        await Assert.That(provider.Keys.Length).IsEqualTo(0);
        await Assert.That(provider.KeyFingerprints).IsEquivalentTo(["!PASSTHRU"]);
        await Assert.That(provider.AuthModeName).IsEqualTo("passthrough");
    }

    [Test]
    [Arguments("passthrough")]
    [Arguments("PASSTHROUGH")]
    [Arguments(" Passthrough ")]
    public async Task Discover_AuthModePassthroughWithEmptyKey_ForwardsTheClientKey(string mode)
    {
        var provider = Provider("anthropic", ("ANTHROPIC_API_KEY", ""), ("ANTHROPIC_AUTH_MODE", mode));

        await Assert.That(provider.Auth).IsEqualTo(ProviderAuth.Passthrough);
    }

    [Test]
    [Arguments("api_key")]
    [Arguments("static")]
    [Arguments("")]
    public async Task Discover_AuthModeForKeys_KeepsTheStaticKeys(string mode)
    {
        var provider = Provider("openai", ("OPENAI_API_KEY", "k1"), ("OPENAI_AUTH_MODE", mode));

        await Assert.That(provider.Auth).IsEqualTo(ProviderAuth.Static);
        await Assert.That(provider.Keys).IsEquivalentTo(["k1"]);
    }

    [Test]
    [Arguments("sk-secret-one !PASSTHRU")]
    [Arguments("!PASSTHRU sk-secret-one")]
    [Arguments("sk-secret-one !passthru sk-secret-two")]
    public async Task Discover_PassthroughMixedWithStaticKeys_IsAnErrorWithoutTheKeys(string value)
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", value));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
            ["OPENAI_API_KEY (env): !PASSTHRU cannot be mixed with static keys in one provider; use one or the other (or two providers)"]);
        await Assert.That(AllMessages(result)).DoesNotContain("sk-secret");
    }

    [Test]
    public async Task Discover_AuthModePassthroughWithStaticKey_IsAnErrorWithoutTheKey()
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "sk-secret-one"), ("OPENAI_AUTH_MODE", "passthrough"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors.Count).IsEqualTo(1);
        await Assert.That(result.Errors[0]).Contains("OPENAI_API_KEY");
        await Assert.That(result.Errors[0]).Contains("cannot be mixed");
        await Assert.That(AllMessages(result)).DoesNotContain("sk-secret-one");
    }

    [Test]
    [Arguments("!OAUTH")]
    [Arguments("!oauth")]
    [Arguments("sk-secret-one !OAUTH")]
    public async Task Discover_OAuthSentinel_IsANotSupportedYetError(string value)
    {
        var result = TestVariables.Load(("ANTHROPIC_API_KEY", value));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors.Count).IsEqualTo(1);
        await Assert.That(result.Errors[0]).StartsWith("ANTHROPIC_API_KEY (env): ");
        await Assert.That(result.Errors[0]).Contains("not supported yet");
        await Assert.That(AllMessages(result)).DoesNotContain("sk-secret-one");
    }

    [Test]
    [Arguments("oauth")]
    [Arguments("OAuth")]
    public async Task Discover_AuthModeOAuth_IsANotSupportedYetError(string mode)
    {
        var result = TestVariables.Load(("ANTHROPIC_API_KEY", "sk-secret-one"), ("ANTHROPIC_AUTH_MODE", mode));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
            [$"ANTHROPIC_AUTH_MODE={mode} (env): OAuth is not supported yet; use an API key or !PASSTHRU"]);
        await Assert.That(AllMessages(result)).DoesNotContain("sk-secret-one");
    }

    [Test]
    public async Task Discover_UnknownAuthMode_IsAnError()
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "k1"), ("OPENAI_AUTH_MODE", "bearer"));

        await Assert.That(result.Errors).IsEquivalentTo(["OPENAI_AUTH_MODE=bearer (env): must be passthrough or api_key"]);
    }

    [Test]
    public async Task Discover_UnknownSentinel_IsAnErrorWithoutTheStaticKeys()
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "sk-secret-one !PASSTRHU"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
            ["OPENAI_API_KEY (env): a value starting with '!' must be the sentinel !PASSTHRU"]);
        await Assert.That(AllMessages(result)).DoesNotContain("sk-secret-one");
        await Assert.That(AllMessages(result)).DoesNotContain("!PASSTRHU");
    }

    [Test]
    [Arguments("anthropic", "Anthropic")]
    [Arguments("ANTHROPIC", "Anthropic")]
    [Arguments(" Anthropic ", "Anthropic")]
    [Arguments("openai", "OpenAI")]
    [Arguments("", "OpenAI")]
    public async Task Discover_ApiFormat_IsReadCaseInsensitively(string value, string expected)
    {
        var provider = Provider("myllm",
            ("MYLLM_API_KEY", "m"), ("MYLLM_BASE_URL", "https://llm.example.com"), ("MYLLM_API_FORMAT", value));

        await Assert.That(provider.Format).IsEqualTo(Enum.Parse<ApiFormat>(expected));
    }

    [Test]
    public async Task Discover_ApiFormatOnBuiltInProvider_OverridesTheBuiltInFormat()
    {
        var provider = Provider("anthropic", ("ANTHROPIC_API_KEY", "a"), ("ANTHROPIC_API_FORMAT", "openai"));

        await Assert.That(provider.Format).IsEqualTo(ApiFormat.OpenAI);
        await Assert.That(provider.FormatName).IsEqualTo("openai");
    }

    [Test]
    [Arguments("xml")]
    [Arguments("chat")]
    [Arguments("openai-compatible")]
    public async Task Discover_UnknownApiFormat_IsAnError(string value)
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "o"), ("OPENAI_API_FORMAT", value));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo([$"OPENAI_API_FORMAT={value} (env): must be openai or anthropic"]);
    }

    [Test]
    [Arguments("ftp://api.example.com/v1")]
    [Arguments("file:///etc/passwd")]
    [Arguments("api.example.com/v1")]
    [Arguments("/v1")]
    [Arguments("https://api.example.com/v1?key=x")]
    [Arguments("https://api.example.com/v1#part")]
    [Arguments("not a url")]
    public async Task Discover_InvalidBaseUrl_IsAnError(string value)
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "o"), ("OPENAI_BASE_URL", value));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo([$"OPENAI_BASE_URL={value} (env): {UrlRule}"]);
    }

    [Test]
    [Arguments("https://proxy.example.com/v1/", "https://proxy.example.com/v1")]
    [Arguments("https://proxy.example.com/v1//", "https://proxy.example.com/v1")]
    [Arguments(" http://10.0.0.5:8000/ ", "http://10.0.0.5:8000")]
    [Arguments("https://proxy.example.com/openai/v1", "https://proxy.example.com/openai/v1")]
    public async Task Discover_BaseUrl_OverridesTheBuiltInWithoutTrailingSlash(string value, string expected)
    {
        var provider = Provider("openai", ("OPENAI_API_KEY", "o"), ("OPENAI_BASE_URL", value));

        await Assert.That(provider.BaseUrl.OriginalString).IsEqualTo(expected);
    }

    [Test]
    public async Task Discover_EmptyBaseUrl_FallsBackToTheBuiltInUrl()
    {
        var provider = Provider("openai", ("OPENAI_API_KEY", "o"), ("OPENAI_BASE_URL", "  "));

        await Assert.That(provider.BaseUrl.OriginalString).IsEqualTo("https://api.openai.com/v1");
    }

    [Test]
    public async Task Discover_ApiVersion_IsKeptTrimmed()
    {
        var provider = Provider("azure",
            ("AZURE_API_KEY", "az"), ("AZURE_BASE_URL", "https://me.openai.azure.com/openai"), ("AZURE_API_VERSION", " 2024-10-21 "));

        await Assert.That(provider.ApiVersion).IsEqualTo("2024-10-21");
    }

    [Test]
    public async Task Discover_EmptyApiVersion_IsNull()
    {
        var provider = Provider("openai", ("OPENAI_API_KEY", "o"), ("OPENAI_API_VERSION", " "));

        await Assert.That(provider.ApiVersion).IsNull();
    }

    [Test]
    public async Task Discover_GlobalHeader_IsSentToEveryProviderWithDashes()
    {
        var settings = TestVariables.Settings(("OPENAI_API_KEY", "o"), ("POE_API_KEY", "p"), ("CUSTOM_HEADER_X_TEAM", " core "));

        await Assert.That(Headers(settings.FindProvider("openai")!)).IsEquivalentTo(["X-TEAM: core"]);
        await Assert.That(Headers(settings.FindProvider("poe")!)).IsEquivalentTo(["X-TEAM: core"]);
    }

    [Test]
    public async Task Discover_ProviderHeader_WinsOverTheGlobalOneForThatProviderOnly()
    {
        var settings = TestVariables.Settings(
            ("OPENAI_API_KEY", "o"),
            ("POE_API_KEY", "p"),
            ("CUSTOM_HEADER_X_TEAM", "core"),
            ("CUSTOM_HEADER_X_ENV", "prod"),
            ("OPENAI_CUSTOM_HEADER_X_TEAM", "mine"),
            ("OPENAI_CUSTOM_HEADER_OPENAI_PROJECT", "proj_1"));

        await Assert.That(Headers(settings.FindProvider("openai")!))
            .IsEquivalentTo(["OPENAI-PROJECT: proj_1", "X-ENV: prod", "X-TEAM: mine"]);
        await Assert.That(Headers(settings.FindProvider("poe")!)).IsEquivalentTo(["X-ENV: prod", "X-TEAM: core"]);
    }

    [Test]
    public async Task Discover_ProviderHeaderNamedInOtherCase_StillReplacesTheGlobalOne()
    {
        var settings = TestVariables.Settings(
            ("OPENAI_API_KEY", "o"), ("CUSTOM_HEADER_X_Team", "core"), ("OPENAI_CUSTOM_HEADER_X_TEAM", "mine"));

        await Assert.That(settings.FindProvider("openai")!.Headers.Length).IsEqualTo(1);
        await Assert.That(settings.FindProvider("openai")!.Headers[0].Value).IsEqualTo("mine");
    }

    [Test]
    [Arguments("OPENAI_CUSTOM_HEADER_HOST", "HOST")]
    [Arguments("OPENAI_CUSTOM_HEADER_CONTENT_LENGTH", "CONTENT-LENGTH")]
    [Arguments("CUSTOM_HEADER_HOST", "HOST")]
    [Arguments("CUSTOM_HEADER_Content_Type", "Content-Type")]
    [Arguments("CUSTOM_HEADER_TRANSFER_ENCODING", "TRANSFER-ENCODING")]
    public async Task Discover_ForbiddenHeader_IsAnError(string variable, string header)
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "o"), (variable, "x"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo([$"{variable} (env): '{header}' cannot be sent as a custom header"]);
    }

    [Test]
    public async Task Discover_ForbiddenGlobalHeaderWithSeveralProviders_IsReportedOnce()
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "o"), ("POE_API_KEY", "p"), ("CUSTOM_HEADER_HOST", "x"));

        await Assert.That(result.Errors).IsEquivalentTo(["CUSTOM_HEADER_HOST (env): 'HOST' cannot be sent as a custom header"]);
    }

    [Test]
    [Arguments("a\nb")]
    [Arguments("a\rb")]
    [Arguments("a\0b")]
    public async Task Discover_HeaderValueWithLineBreak_IsAnErrorWithoutTheValue(string value)
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "o"), ("OPENAI_CUSTOM_HEADER_AUTHORIZATION", "Bearer tok-" + value));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
            ["OPENAI_CUSTOM_HEADER_AUTHORIZATION (env): a header value cannot contain line breaks"]);
        await Assert.That(AllMessages(result)).DoesNotContain("tok-");
    }

    [Test]
    public async Task Discover_CustomHeaderEndingInApiKey_IsAHeaderNotASkippedProvider()
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "o"), ("CUSTOM_HEADER_X_API_KEY", "hdr-secret"));

        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(Names(result.Settings!)).IsEquivalentTo(["openai"]);
        await Assert.That(Headers(result.Settings!.Providers[0])).IsEquivalentTo(["X-API-KEY: hdr-secret"]);
        await Assert.That(result.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Discover_ProviderMaxTokensLimit_WinsOverTheGlobalOne()
    {
        var settings = TestVariables.Settings(
            ("OPENAI_API_KEY", "o"), ("POE_API_KEY", "p"), ("POE_MAX_TOKENS_LIMIT", "8192"), ("MAX_TOKENS_LIMIT", "4096"));

        await Assert.That(settings.FindProvider("poe")!.MaxTokensLimit).IsEqualTo(8192);
        await Assert.That(settings.FindProvider("openai")!.MaxTokensLimit).IsEqualTo(4096);
    }

    [Test]
    public async Task Discover_ProviderMaxTokensLimitWithoutGlobal_AppliesToThatProviderOnly()
    {
        var settings = TestVariables.Settings(("OPENAI_API_KEY", "o"), ("POE_API_KEY", "p"), ("POE_MAX_TOKENS_LIMIT", "8192"));

        await Assert.That(settings.FindProvider("poe")!.MaxTokensLimit).IsEqualTo(8192);
        await Assert.That(settings.FindProvider("openai")!.MaxTokensLimit).IsNull();
    }

    [Test]
    [Arguments("0")]
    [Arguments("big")]
    public async Task Discover_InvalidProviderMaxTokensLimit_IsAnError(string value)
    {
        var result = TestVariables.Load(("POE_API_KEY", "p"), ("POE_MAX_TOKENS_LIMIT", value));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo([$"POE_MAX_TOKENS_LIMIT={value} (env): must be a whole number of at least 1"]);
    }

    [Test]
    public async Task Discover_ScopedAlias_IsCollectedWithItsProviderAndLowerCasedName()
    {
        var settings = TestVariables.Settings(("POE_API_KEY", "p"), ("POE_ALIAS_HAIKU", " gemini-flash "), ("POE_ALIAS_Big_One", "Claude-Opus"));

        await Assert.That(settings.Aliases).IsEquivalentTo(
        [
            new AliasDefinition("poe", "big_one", "Claude-Opus"),
            new AliasDefinition("poe", "haiku", "gemini-flash"),
        ]);
    }

    [Test]
    public async Task Discover_GlobalAlias_IsCollectedWithoutProvider()
    {
        var settings = TestVariables.Settings(("POE_API_KEY", "p"), ("VDM_ALIAS_FAST", "poe:gemini-flash"));

        await Assert.That(settings.Aliases).IsEquivalentTo([new AliasDefinition(null, "fast", "poe:gemini-flash")]);
    }

    [Test]
    public async Task Discover_EmptyAlias_IsIgnored()
    {
        var settings = TestVariables.Settings(("POE_API_KEY", "p"), ("VDM_ALIAS_FAST", " "), ("POE_ALIAS_HAIKU", ""));

        await Assert.That(settings.Aliases.Length).IsEqualTo(0);
    }

    [Test]
    public async Task Discover_ScopedAliasOfASkippedProvider_IsNotCollected()
    {
        var settings = TestVariables.Settings(("STRIPE_API_KEY", "s"), ("STRIPE_ALIAS_X", "model"));

        await Assert.That(settings.Aliases.Length).IsEqualTo(0);
    }

    [Test]
    public async Task Discover_EveryKindOfProblem_NeverShowsAKeyValue()
    {
        var result = TestVariables.Load(
            ("STRIPE_API_KEY", "secret-stripe"),
            ("VDM_API_KEY", "secret-vdm"),
            ("OPENAI_API_KEY", "secret-openai !PASSTHRU"),
            ("ANTHROPIC_API_KEY", "secret-anthropic !OAUTH"),
            ("GROQ_API_KEY", "secret-groq"),
            ("GROQ_AUTH_MODE", "oauth"),
            ("POE_API_KEY", "secret-poe !NOPE"),
            ("MISTRAL_API_KEY", "secret-mistral"),
            ("MISTRAL_BASE_URL", "ftp://mistral.example.com"),
            ("XAI_API_KEY", "secret-xai"),
            ("XAI_CUSTOM_HEADER_X_API_KEY", "secret-header\nx"),
            ("PROXY_API_KEY", "secret-proxy"),
            ("PORT", "abc"));

        await Assert.That(result.Errors.Count).IsEqualTo(8);
        await Assert.That(AllMessages(result)).DoesNotContain("secret-");
    }
}
