using Vdm.Cli;
using Vdm.Gateway.Configuration;

namespace Vdm.Tests.Cli;

/// <summary>The variables <c>vdm wrap claude</c> adds to claude's environment, and the ones it leaves to the user.</summary>
public class ClaudeEnvironmentTests
{
    private const string Url = "http://127.0.0.1:8082";

    [Test]
    public async Task For_NothingSet_BaseUrlAndPlaceholderToken()
    {
        var variables = Values(ClaudeEnvironment.For(User(), Url, null));

        await Assert.That(variables).IsEquivalentTo(new Dictionary<string, string>
        {
            ["ANTHROPIC_BASE_URL"] = Url,
            ["ANTHROPIC_AUTH_TOKEN"] = ClaudeEnvironment.PlaceholderToken,
        });
    }

    [Test]
    [Arguments("ANTHROPIC_API_KEY", "sk-ant-own")]
    [Arguments("ANTHROPIC_AUTH_TOKEN", "token-own")]
    [Arguments("ANTHROPIC_API_KEY", "")]
    public async Task For_UserHasAKey_EvenAnEmptyOne_NoPlaceholder(string name, string value)
    {
        var variables = Values(ClaudeEnvironment.For(User((name, value)), Url, null));

        await Assert.That(variables.Keys).IsEquivalentTo(["ANTHROPIC_BASE_URL"]);
    }

    [Test]
    public async Task For_UsersBaseUrl_IsReplaced_AndSaidSo()
    {
        var baseUrl = ClaudeEnvironment.For(User(("ANTHROPIC_BASE_URL", "http://localhost:8082")), Url, null)[0];

        await Assert.That(baseUrl.Value).IsEqualTo(Url);
        await Assert.That(baseUrl.Reason).IsEqualTo("replaces your http://localhost:8082");
    }

    [Test]
    public async Task For_ProxyKey_NoUserHeaders_OneHeaderLine_ShownByFingerprint()
    {
        var headers = ClaudeEnvironment.For(User(), Url, "proxy-secret").Single(variable => variable.Name == "ANTHROPIC_CUSTOM_HEADERS");

        await Assert.That(headers.Value).IsEqualTo("x-vdm-proxy-key: proxy-secret");
        await Assert.That(headers.Shown).IsEqualTo("x-vdm-proxy-key: " + KeyFingerprint.Of("proxy-secret"));
    }

    [Test]
    public async Task For_ProxyKey_AppendedAfterTheUsersHeaders_NotShown()
    {
        var headers = ClaudeEnvironment.For(User(("ANTHROPIC_CUSTOM_HEADERS", "cf-aig-authorization: Bearer t\r\nx-team: core\n")), Url, "proxy-secret")
            .Single(variable => variable.Name == "ANTHROPIC_CUSTOM_HEADERS");

        await Assert.That(headers.Value).IsEqualTo("cf-aig-authorization: Bearer t\r\nx-team: core\nx-vdm-proxy-key: proxy-secret");
        await Assert.That(headers.Shown).IsEqualTo(@"<your 2 lines>\nx-vdm-proxy-key: " + KeyFingerprint.Of("proxy-secret"));
    }

    [Test]
    public async Task For_UserAlreadySendsAProxyKeyHeader_LeftAlone()
    {
        var variables = ClaudeEnvironment.For(User(("ANTHROPIC_CUSTOM_HEADERS", "X-Vdm-Proxy-Key: theirs")), Url, "proxy-secret");

        await Assert.That(variables.Any(variable => variable.Name == "ANTHROPIC_CUSTOM_HEADERS")).IsFalse();
    }

    private static Dictionary<string, string> User(params (string Name, string Value)[] values) =>
        values.ToDictionary(pair => pair.Name, pair => pair.Value, StringComparer.Ordinal);

    private static Dictionary<string, string> Values(IReadOnlyList<ClaudeVariable> variables) =>
        variables.ToDictionary(variable => variable.Name, variable => variable.Value, StringComparer.Ordinal);
}
