using Microsoft.AspNetCore.Http;
using Vdm.Conversion;
using Vdm.Gateway.Auth;

namespace Vdm.Tests.Gateway.Auth;

public class ClientAuthTests
{
    private const string ProxyKey = "vdm-proxy-secret";
    private const string OwnKey = "sk-own-upstream-key";

    private static HeaderDictionary Headers(params (string Name, string Value)[] headers)
    {
        var dictionary = new HeaderDictionary();
        foreach (var (name, value) in headers)
        {
            dictionary.Append(name, value);
        }

        return dictionary;
    }

    [Test]
    public async Task Check_NoProxyKeyAndNoClientKey_AllowsWithoutUpstreamKey()
    {
        var result = ClientAuth.Check(Headers(), null);

        await Assert.That(result.Allowed).IsTrue();
        await Assert.That(result.Failure).IsNull();
        await Assert.That(result.UpstreamKey).IsNull();
        await Assert.That(result.UpstreamKeyScheme).IsEqualTo(UpstreamKeyScheme.None);
    }

    [Test]
    [Arguments(null)]
    [Arguments("")]
    public async Task Check_NoProxyKey_XApiKeyIsTheClientsOwnKey(string? proxyApiKey)
    {
        var result = ClientAuth.Check(Headers(("x-api-key", OwnKey)), proxyApiKey);

        await Assert.That(result.Allowed).IsTrue();
        await Assert.That(result.UpstreamKey).IsEqualTo(OwnKey);
        await Assert.That(result.UpstreamKeyScheme).IsEqualTo(UpstreamKeyScheme.XApiKey);
    }

    [Test]
    public async Task Check_NoProxyKey_BearerIsTheClientsOwnKey()
    {
        var result = ClientAuth.Check(Headers(("Authorization", "Bearer sk-ant-oat01-token")), null);

        await Assert.That(result.UpstreamKey).IsEqualTo("sk-ant-oat01-token");
        await Assert.That(result.UpstreamKeyScheme).IsEqualTo(UpstreamKeyScheme.Bearer);
    }

    [Test]
    public async Task Check_BothXApiKeyAndBearer_XApiKeyWins()
    {
        var result = ClientAuth.Check(Headers(("x-api-key", OwnKey), ("Authorization", "Bearer other")), null);

        await Assert.That(result.UpstreamKey).IsEqualTo(OwnKey);
        await Assert.That(result.UpstreamKeyScheme).IsEqualTo(UpstreamKeyScheme.XApiKey);
    }

    [Test]
    [Arguments("bearer  tok ", "tok")]
    [Arguments("BEARER tok", "tok")]
    public async Task Check_BearerSchemeInAnyCase_IsRecognised(string authorization, string expected)
    {
        var result = ClientAuth.Check(Headers(("Authorization", authorization)), null);

        await Assert.That(result.UpstreamKey).IsEqualTo(expected);
    }

    [Test]
    [Arguments("Basic dXNlcjpwYXNz")]
    [Arguments("Bearer ")]
    [Arguments("Bearer")]
    public async Task Check_OtherAuthorization_CarriesNoKey(string authorization)
    {
        var result = ClientAuth.Check(Headers(("Authorization", authorization)), null);

        await Assert.That(result.Allowed).IsTrue();
        await Assert.That(result.UpstreamKey).IsNull();
    }

    [Test]
    public async Task Check_ProxyKeyInXApiKey_AllowsAndForwardsNothing()
    {
        var result = ClientAuth.Check(Headers(("x-api-key", ProxyKey)), ProxyKey);

        await Assert.That(result.Allowed).IsTrue();
        await Assert.That(result.UpstreamKey).IsNull();
        await Assert.That(result.UpstreamKeyScheme).IsEqualTo(UpstreamKeyScheme.None);
    }

    [Test]
    public async Task Check_ProxyKeyInBearer_AllowsAndForwardsNothing()
    {
        var result = ClientAuth.Check(Headers(("Authorization", "Bearer " + ProxyKey)), ProxyKey);

        await Assert.That(result.Allowed).IsTrue();
        await Assert.That(result.UpstreamKey).IsNull();
    }

    [Test]
    public async Task Check_ProxyKeyInXApiKeyAndBearerPresent_BearerIsNotForwarded()
    {
        var result = ClientAuth.Check(Headers(("x-api-key", ProxyKey), ("Authorization", "Bearer " + OwnKey)), ProxyKey);

        await Assert.That(result.Allowed).IsTrue();
        await Assert.That(result.UpstreamKey).IsNull();
    }

    [Test]
    [Arguments("x-api-key", OwnKey, "XApiKey")]
    [Arguments("Authorization", "Bearer " + OwnKey, "Bearer")]
    public async Task Check_ProxyKeyInDedicatedHeader_AllowsAndForwardsTheClientsOwnKey(string header, string value, string schemeName)
    {
        var scheme = Enum.Parse<UpstreamKeyScheme>(schemeName);

        var result = ClientAuth.Check(Headers(("x-vdm-proxy-key", ProxyKey), (header, value)), ProxyKey);

        await Assert.That(result.Allowed).IsTrue();
        await Assert.That(result.UpstreamKey).IsEqualTo(OwnKey);
        await Assert.That(result.UpstreamKeyScheme).IsEqualTo(scheme);
    }

    [Test]
    public async Task Check_ProxyKeyInDedicatedHeaderAlone_AllowsWithoutUpstreamKey()
    {
        var result = ClientAuth.Check(Headers(("x-vdm-proxy-key", ProxyKey)), ProxyKey);

        await Assert.That(result.Allowed).IsTrue();
        await Assert.That(result.UpstreamKey).IsNull();
    }

    [Test]
    public async Task Check_WrongKeyInDedicatedHeader_DeniesEvenWhenXApiKeyIsTheProxyKey()
    {
        var result = ClientAuth.Check(Headers(("x-vdm-proxy-key", "wrong-guess"), ("x-api-key", ProxyKey)), ProxyKey);

        await Assert.That(result.Allowed).IsFalse();
        await Assert.That(result.Failure).IsEqualTo("the key in x-vdm-proxy-key is not this gateway's proxy key (PROXY_API_KEY)");
        await Assert.That(result.UpstreamKey).IsNull();
    }

    [Test]
    public async Task Check_EmptyDedicatedHeader_Denies()
    {
        var result = ClientAuth.Check(Headers(("x-vdm-proxy-key", " "), ("x-api-key", ProxyKey)), ProxyKey);

        await Assert.That(result.Allowed).IsFalse();
        await Assert.That(result.Failure!).Contains("x-vdm-proxy-key is empty");
    }

    [Test]
    public async Task Check_ProxyKeyRequiredAndNoKey_DeniesNamingTheHeaders()
    {
        var result = ClientAuth.Check(Headers(), ProxyKey);

        await Assert.That(result.Allowed).IsFalse();
        await Assert.That(result.Failure!).Contains("x-api-key");
        await Assert.That(result.Failure!).Contains("Authorization: Bearer");
        await Assert.That(result.Failure!).Contains("x-vdm-proxy-key");
    }

    [Test]
    [Arguments("x-api-key", "wrong-key", "the key in x-api-key is not")]
    [Arguments("Authorization", "Bearer wrong-key", "the key in Authorization: Bearer is not")]
    public async Task Check_WrongProxyKey_DeniesNamingTheHeader(string header, string value, string expected)
    {
        var result = ClientAuth.Check(Headers((header, value)), ProxyKey);

        await Assert.That(result.Allowed).IsFalse();
        await Assert.That(result.Failure!).StartsWith(expected);
    }

    [Test]
    [Arguments("vdm-proxy-secreT")]
    [Arguments("vdm-proxy-secret ")]
    [Arguments("vdm-proxy-secret-longer")]
    [Arguments("vdm")]
    [Arguments("x")]
    public async Task Check_NearMissProxyKey_IsDeniedAndNeverEchoed(string presented)
    {
        var sent = presented + "!";
        var viaApiKey = ClientAuth.Check(Headers(("x-api-key", sent)), ProxyKey);
        var viaDedicated = ClientAuth.Check(Headers(("x-vdm-proxy-key", sent), ("x-api-key", OwnKey)), ProxyKey);

        await Assert.That(viaApiKey.Allowed).IsFalse();
        await Assert.That(viaDedicated.Allowed).IsFalse();
        foreach (var text in new[] { viaApiKey.Failure!, viaDedicated.Failure!, viaApiKey.ToString(), viaDedicated.ToString() })
        {
            await Assert.That(text).DoesNotContain(sent);
            await Assert.That(text).DoesNotContain(ProxyKey);
            await Assert.That(text).DoesNotContain(OwnKey);
        }
    }

    [Test]
    public async Task Check_DuplicatedXApiKey_UsesTheFirstValue()
    {
        var result = ClientAuth.Check(Headers(("x-api-key", ProxyKey), ("x-api-key", "other")), ProxyKey);

        await Assert.That(result.Allowed).IsTrue();
    }

    [Test]
    public async Task ToString_WithUpstreamKey_ShowsOnlyItsFingerprint()
    {
        var result = ClientAuth.Check(Headers(("x-api-key", OwnKey)), null);

        var text = result.ToString();

        await Assert.That(text).DoesNotContain(OwnKey);
        await Assert.That(text).Contains("sha256:");
        await Assert.That(text).Contains("XApiKey");
    }

    [Test]
    [Arguments("same", "same", true)]
    [Arguments("same", "Same", false)]
    [Arguments("short", "much-longer-key", false)]
    [Arguments("", "k", false)]
    [Arguments("clé-🔑", "clé-🔑", true)]
    public async Task ProxyKeyMatches_Keys_ComparesExactly(string presented, string expected, bool matches)
    {
        await Assert.That(ClientAuth.ProxyKeyMatches(presented, expected)).IsEqualTo(matches);
    }

    [Test]
    [Arguments(false, "provider 'groq' forwards the client's own API key (!PASSTHRU), but the request carried none; send it as x-api-key or Authorization: Bearer")]
    [Arguments(true, "provider 'groq' forwards the client's own API key (!PASSTHRU), but the request carried none; send it as x-api-key or Authorization: Bearer, with this gateway's proxy key in x-vdm-proxy-key")]
    public async Task MissingPassthroughKey_Provider_NamesItAndTheHeaders(bool proxyKeyRequired, string expected)
    {
        await Assert.That(ClientAuth.MissingPassthroughKey("groq", proxyKeyRequired)).IsEqualTo(expected);
    }

    [Test]
    [Arguments("XApiKey", "Anthropic", "x-api-key", "k")]
    [Arguments("Bearer", "Anthropic", "Authorization", "Bearer k")]
    [Arguments("XApiKey", "OpenAI", "Authorization", "Bearer k")]
    [Arguments("Bearer", "OpenAI", "Authorization", "Bearer k")]
    public async Task UpstreamHeader_SchemeAndFormat_KeepsSubscriptionTokensBearer(string scheme, string format, string name, string value)
    {
        var header = ClientAuth.UpstreamHeader("k", Enum.Parse<UpstreamKeyScheme>(scheme), Enum.Parse<ApiFormat>(format));

        await Assert.That(header.Key).IsEqualTo(name);
        await Assert.That(header.Value).IsEqualTo(value);
    }

    [Test]
    public async Task Check_ProxyKeySentInBothHeaders_IsNeverTakenForTheClientsOwnKey()
    {
        var result = ClientAuth.Check(Headers(("x-vdm-proxy-key", "gateway-secret"), ("x-api-key", "gateway-secret")), "gateway-secret");

        await Assert.That(result.Allowed).IsTrue();
        await Assert.That(result.UpstreamKey).IsNull();
    }
}
