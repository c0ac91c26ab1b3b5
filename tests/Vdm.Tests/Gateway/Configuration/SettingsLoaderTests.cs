using Microsoft.Extensions.Logging;
using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Configuration;

public class SettingsLoaderTests
{
    [Test]
    public async Task Load_NothingSet_UsesTheBuiltInDefaults()
    {
        var settings = TestVariables.Settings();

        await Assert.That(settings.Host).IsEqualTo("127.0.0.1");
        await Assert.That(settings.Port).IsEqualTo(8082);
        await Assert.That(settings.LogLevel).IsEqualTo(LogLevel.Information);
        await Assert.That(settings.RequestTimeout).IsEqualTo(TimeSpan.FromSeconds(600));
        await Assert.That(settings.MaxRetries).IsEqualTo(2);
        await Assert.That(settings.MaxTokensLimit).IsNull();
        await Assert.That(settings.MinTokensLimit).IsNull();
        await Assert.That(settings.ProxyApiKey).IsNull();
        await Assert.That(settings.DefaultProvider).IsNull();
        await Assert.That(settings.Providers.Length).IsEqualTo(0);
        await Assert.That(settings.Aliases.Length).IsEqualTo(0);
    }

    [Test]
    public async Task Load_NothingSet_HasNoErrorsOrWarnings()
    {
        var result = TestVariables.Load();

        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(result.Errors.Count).IsEqualTo(0);
        await Assert.That(result.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    [Arguments("127.0.0.1")]
    [Arguments("0.0.0.0")]
    [Arguments("::")]
    [Arguments("::1")]
    [Arguments("192.168.1.10")]
    [Arguments("localhost")]
    [Arguments("LocalHost")]
    public async Task Load_ValidHost_IsUsed(string host)
    {
        var settings = TestVariables.Settings(("HOST", host));

        await Assert.That(settings.Host).IsEqualTo(host);
    }

    [Test]
    public async Task Load_HostWithSurroundingSpaces_IsTrimmed()
    {
        var settings = TestVariables.Settings(("HOST", "  10.0.0.1 "));

        await Assert.That(settings.Host).IsEqualTo("10.0.0.1");
    }

    [Test]
    [Arguments("example.com")]
    [Arguments("not a host")]
    [Arguments("300.1.1.1")]
    public async Task Load_InvalidHost_IsAnErrorNamingVariableValueAndSource(string host)
    {
        var result = TestVariables.Load(("HOST", host));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
            [$"HOST={host} (env): must be an IP address (127.0.0.1, 0.0.0.0, ::) or localhost"]);
    }

    [Test]
    [Arguments("0", 0)]
    [Arguments("1", 1)]
    [Arguments("8082", 8082)]
    [Arguments("9000", 9000)]
    [Arguments("65535", 65535)]
    [Arguments(" 8100 ", 8100)]
    public async Task Load_ValidPort_IsUsed(string value, int expected)
    {
        var settings = TestVariables.Settings(("PORT", value));

        await Assert.That(settings.Port).IsEqualTo(expected);
    }

    [Test]
    [Arguments("65536")]
    [Arguments("-1")]
    [Arguments("abc")]
    [Arguments("80.5")]
    [Arguments("+80")]
    [Arguments("99999999999")]
    public async Task Load_InvalidPort_IsAnErrorNamingVariableValueAndSource(string value)
    {
        var result = TestVariables.Load(("PORT", value));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo([$"PORT={value} (env): must be a whole number from 0 to 65535"]);
    }

    [Test]
    public async Task Load_EmptyPort_UsesTheDefault()
    {
        var settings = TestVariables.Settings(("PORT", ""));

        await Assert.That(settings.Port).IsEqualTo(8082);
    }

    [Test]
    public async Task Load_InvalidPortInProjectFile_NamesTheFile()
    {
        var result = SettingsLoader.Load(TestVariables.File(("PORT", "abc")));

        await Assert.That(result.Errors).IsEquivalentTo(["PORT=abc (./.env): must be a whole number from 0 to 65535"]);
    }

    [Test]
    public async Task Load_InvalidPortFromFlag_NamesTheFlag()
    {
        var variables = TestVariables.Layers(
            TestVariables.Layer(ConfigSourceKind.Flag, "flag", ("PORT", "x1")),
            TestVariables.Layer(ConfigSourceKind.Environment, "env", ("PORT", "9000")));

        var result = SettingsLoader.Load(variables);

        await Assert.That(result.Errors).IsEquivalentTo(["PORT=x1 (flag): must be a whole number from 0 to 65535"]);
    }

    [Test]
    [Arguments("DEBUG", LogLevel.Debug)]
    [Arguments("debug", LogLevel.Debug)]
    [Arguments("INFO", LogLevel.Information)]
    [Arguments("info", LogLevel.Information)]
    [Arguments("Information", LogLevel.Information)]
    [Arguments("WARNING", LogLevel.Warning)]
    [Arguments("WARN", LogLevel.Warning)]
    [Arguments("ERROR", LogLevel.Error)]
    [Arguments("CRITICAL", LogLevel.Critical)]
    [Arguments("Fatal", LogLevel.Critical)]
    [Arguments("Trace", LogLevel.Trace)]
    [Arguments("None", LogLevel.None)]
    [Arguments(" DEBUG ", LogLevel.Debug)]
    [Arguments("WARNING # quieter", LogLevel.Warning)]
    public async Task Load_LogLevelSpelling_MapsToLogLevel(string value, LogLevel expected)
    {
        var settings = TestVariables.Settings(("LOG_LEVEL", value));

        await Assert.That(settings.LogLevel).IsEqualTo(expected);
    }

    [Test]
    [Arguments("bogus")]
    [Arguments("verbose")]
    [Arguments("5")]
    public async Task Load_UnknownLogLevel_IsAnErrorListingTheAllowedLevels(string value)
    {
        var result = TestVariables.Load(("LOG_LEVEL", value));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
            [$"LOG_LEVEL={value} (env): must be DEBUG, INFO, WARNING, ERROR or CRITICAL (or TRACE, NONE)"]);
    }

    [Test]
    [Arguments("1.5", 1500)]
    [Arguments("0.25", 250)]
    [Arguments("30", 30_000)]
    [Arguments("600", 600_000)]
    [Arguments("86400", 86_400_000)]
    public async Task Load_ValidRequestTimeout_IsUsedInSeconds(string value, int expectedMilliseconds)
    {
        var settings = TestVariables.Settings(("REQUEST_TIMEOUT", value));

        await Assert.That(settings.RequestTimeout).IsEqualTo(TimeSpan.FromMilliseconds(expectedMilliseconds));
    }

    [Test]
    [Arguments("0")]
    [Arguments("0.0")]
    [Arguments("-5")]
    [Arguments("-0.5")]
    [Arguments("abc")]
    [Arguments("86401")]
    public async Task Load_InvalidRequestTimeout_IsAnError(string value)
    {
        var result = TestVariables.Load(("REQUEST_TIMEOUT", value));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
            [$"REQUEST_TIMEOUT={value} (env): must be a number of seconds above 0 and at most 86400"]);
    }

    [Test]
    [Arguments("0", 0)]
    [Arguments("5", 5)]
    [Arguments("100", 100)]
    public async Task Load_ValidMaxRetries_IsUsed(string value, int expected)
    {
        var settings = TestVariables.Settings(("MAX_RETRIES", value));

        await Assert.That(settings.MaxRetries).IsEqualTo(expected);
    }

    [Test]
    [Arguments("-1")]
    [Arguments("101")]
    [Arguments("two")]
    [Arguments("1.5")]
    public async Task Load_InvalidMaxRetries_IsAnError(string value)
    {
        var result = TestVariables.Load(("MAX_RETRIES", value));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo([$"MAX_RETRIES={value} (env): must be a whole number from 0 to 100"]);
    }

    [Test]
    public async Task Load_TokenLimits_AreUsed()
    {
        var settings = TestVariables.Settings(("MAX_TOKENS_LIMIT", "65536"), ("MIN_TOKENS_LIMIT", "1024"));

        await Assert.That(settings.MaxTokensLimit).IsEqualTo(65536);
        await Assert.That(settings.MinTokensLimit).IsEqualTo(1024);
    }

    [Test]
    public async Task Load_EqualTokenLimits_AreAllowed()
    {
        var settings = TestVariables.Settings(("MAX_TOKENS_LIMIT", "4096"), ("MIN_TOKENS_LIMIT", "4096"));

        await Assert.That(settings.MaxTokensLimit).IsEqualTo(4096);
        await Assert.That(settings.MinTokensLimit).IsEqualTo(4096);
    }

    [Test]
    [Arguments("MAX_TOKENS_LIMIT", "0")]
    [Arguments("MAX_TOKENS_LIMIT", "-10")]
    [Arguments("MAX_TOKENS_LIMIT", "lots")]
    [Arguments("MIN_TOKENS_LIMIT", "0")]
    [Arguments("MIN_TOKENS_LIMIT", "1k")]
    public async Task Load_InvalidTokenLimit_IsAnError(string name, string value)
    {
        var result = TestVariables.Load((name, value));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo([$"{name}={value} (env): must be a whole number of at least 1"]);
    }

    [Test]
    public async Task Load_MinTokensAboveMaxTokens_IsAnErrorNamingBoth()
    {
        var result = TestVariables.Load(("MAX_TOKENS_LIMIT", "4096"), ("MIN_TOKENS_LIMIT", "8192"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors.Count).IsEqualTo(1);
        await Assert.That(result.Errors[0]).Contains("MIN_TOKENS_LIMIT=8192");
        await Assert.That(result.Errors[0]).Contains("MAX_TOKENS_LIMIT=4096");
    }

    [Test]
    public async Task Load_ProxyApiKey_IsTrimmed()
    {
        var settings = TestVariables.Settings(("PROXY_API_KEY", "  client-secret  "));

        await Assert.That(settings.ProxyApiKey).IsEqualTo("client-secret");
    }

    [Test]
    public async Task Load_EmptyProxyApiKey_LeavesVdmOpen()
    {
        var settings = TestVariables.Settings(("PROXY_API_KEY", ""));

        await Assert.That(settings.ProxyApiKey).IsNull();
    }

    [Test]
    public async Task Load_ZeroProviders_IsValidWithoutWarnings()
    {
        var result = TestVariables.Load(("PORT", "9000"));

        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(result.Settings!.Providers.Length).IsEqualTo(0);
        await Assert.That(result.Settings.DefaultProvider).IsNull();
        await Assert.That(result.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Load_ExactlyOneProvider_IsTheDefault()
    {
        var result = TestVariables.Load(("POE_API_KEY", "p-1"));

        await Assert.That(result.Settings!.DefaultProvider).IsEqualTo("poe");
        await Assert.That(result.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Load_SeveralProvidersWithoutDefault_WarnsAndLeavesDefaultUnset()
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "o-1"), ("POE_API_KEY", "p-1"));

        await Assert.That(result.IsValid).IsTrue();
        await Assert.That(result.Settings!.DefaultProvider).IsNull();
        await Assert.That(result.Warnings.Count).IsEqualTo(1);
        await Assert.That(result.Warnings[0]).Contains("VDM_DEFAULT_PROVIDER");
    }

    [Test]
    public async Task Load_ConfiguredDefaultProvider_IsUsedLowerCased()
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "o-1"), ("POE_API_KEY", "p-1"), ("VDM_DEFAULT_PROVIDER", " POE "));

        await Assert.That(result.Settings!.DefaultProvider).IsEqualTo("poe");
        await Assert.That(result.Warnings.Count).IsEqualTo(0);
    }

    [Test]
    public async Task Load_DefaultProviderThatDoesNotExist_IsAnErrorListingTheConfiguredOnes()
    {
        var result = TestVariables.Load(("OPENAI_API_KEY", "o-1"), ("VDM_DEFAULT_PROVIDER", "groq"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
            ["VDM_DEFAULT_PROVIDER=groq (env): no provider 'groq' (configured: openai); set GROQ_API_KEY to add it"]);
    }

    [Test]
    public async Task Load_DefaultProviderWithNoProviders_IsAnError()
    {
        var result = TestVariables.Load(("VDM_DEFAULT_PROVIDER", "openai"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Errors).IsEquivalentTo(
            ["VDM_DEFAULT_PROVIDER=openai (env): no provider 'openai' (none is configured); set OPENAI_API_KEY to add it"]);
    }

    [Test]
    public async Task Load_SeveralProblems_AreAllReportedAtOnce()
    {
        var result = TestVariables.Load(
            ("PORT", "abc"),
            ("LOG_LEVEL", "loud"),
            ("REQUEST_TIMEOUT", "0"),
            ("MAX_RETRIES", "-1"),
            ("OPENAI_API_KEY", "o-1"),
            ("OPENAI_API_FORMAT", "xml"),
            ("POE_API_KEY", "p-1"),
            ("POE_BASE_URL", "ftp://poe.example.com"),
            ("VDM_DEFAULT_PROVIDER", "groq"));

        await Assert.That(result.IsValid).IsFalse();
        await Assert.That(result.Settings).IsNull();
        await Assert.That(result.Errors).IsEquivalentTo(
        [
            "PORT=abc (env): must be a whole number from 0 to 65535",
            "LOG_LEVEL=loud (env): must be DEBUG, INFO, WARNING, ERROR or CRITICAL (or TRACE, NONE)",
            "REQUEST_TIMEOUT=0 (env): must be a number of seconds above 0 and at most 86400",
            "MAX_RETRIES=-1 (env): must be a whole number from 0 to 100",
            "OPENAI_API_FORMAT=xml (env): must be openai or anthropic",
            "POE_BASE_URL=ftp://poe.example.com (env): must be an absolute http:// or https:// URL without a query, such as https://api.example.com/v1",
            "VDM_DEFAULT_PROVIDER=groq (env): no provider 'groq' (none is configured); set GROQ_API_KEY to add it",
        ]);
    }

    [Test]
    public async Task Load_ValuesFromDifferentLayers_AreMergedPerVariable()
    {
        var variables = TestVariables.Layers(
            TestVariables.Layer(ConfigSourceKind.Environment, "env", ("PORT", "9001")),
            TestVariables.Layer(ConfigSourceKind.ProjectFile, "./.env", ("PORT", "9002"), ("HOST", "0.0.0.0")),
            TestVariables.Layer(ConfigSourceKind.UserFile, "~/.config/vdm/.env", ("HOST", "::"), ("MAX_RETRIES", "7")));

        var settings = SettingsLoader.Load(variables).Settings!;

        await Assert.That(settings.Port).IsEqualTo(9001);
        await Assert.That(settings.Host).IsEqualTo("0.0.0.0");
        await Assert.That(settings.MaxRetries).IsEqualTo(7);
        await Assert.That(settings.RequestTimeout).IsEqualTo(TimeSpan.FromSeconds(600));
    }
}
