using Vdm.Gateway.Upstream;

namespace Vdm.Tests.Gateway.Upstream;

public class NoProxyListTests
{
    [Test]
    [Arguments("example.com", "https://example.com/v1", true)]
    [Arguments("example.com", "https://api.example.com/v1", true)]
    [Arguments(".example.com", "https://example.com/v1", true)]
    [Arguments(".example.com", "https://api.example.com/v1", true)]
    [Arguments("*.example.com", "https://api.example.com/v1", true)]
    [Arguments("EXAMPLE.com", "https://Api.Example.COM/v1", true)]
    [Arguments("example.com.", "https://api.example.com/v1", true)]
    [Arguments("example.com", "https://api.example.com./v1", true)]
    [Arguments("example.com", "https://notexample.com/v1", false)]
    [Arguments("example.com", "https://example.com.evil.test/v1", false)]
    [Arguments("api.example.com", "https://example.com/v1", false)]
    [Arguments("*", "https://anything.test/v1", true)]
    [Arguments("a.test, *", "https://anything.test/v1", true)]
    [Arguments("a.test,b.test c.test\td.test", "https://c.test/v1", true)]
    [Arguments("a.test,,b.test", "https://e.test/v1", false)]
    [Arguments("", "https://example.com/v1", false)]
    [Arguments("example.com:8443", "https://api.example.com:8443/v1", true)]
    [Arguments("example.com:8443", "https://api.example.com/v1", false)]
    [Arguments("example.com:443", "https://example.com/v1", true)]
    [Arguments("example.com:80", "http://example.com/v1", true)]
    [Arguments("192.168.1.5", "http://192.168.1.5:8080/v1", true)]
    [Arguments("192.168.1.5", "http://192.168.1.6:8080/v1", false)]
    [Arguments("192.168.1.5:8080", "http://192.168.1.5:8080/v1", true)]
    [Arguments("192.168.1.5:8080", "http://192.168.1.5:9090/v1", false)]
    [Arguments("10.0.0.0/8", "http://10.1.2.3/v1", true)]
    [Arguments("10.0.0.0/8", "http://11.0.0.1/v1", false)]
    [Arguments("10.1.2.3/8", "http://10.200.0.1/v1", true)]
    [Arguments("10.0.0.0/8", "http://[::ffff:10.1.2.3]/v1", true)]
    [Arguments("2001:db8::1", "https://[2001:db8::1]/v1", true)]
    [Arguments("[2001:db8::1]", "https://[2001:db8::1]/v1", true)]
    [Arguments("[2001:db8::1]:8443", "https://[2001:db8::1]:8443/v1", true)]
    [Arguments("[2001:db8::1]:8443", "https://[2001:db8::1]/v1", false)]
    [Arguments("fd00::/8", "https://[fd12:3456::1]/v1", true)]
    [Arguments("fd00::/8", "https://[2001:db8::1]/v1", false)]
    [Arguments("fd00::/8", "https://10.0.0.1/v1", false)]
    [Arguments("10.0.0.0/8", "https://ten.example/v1", false)]
    [Arguments("example.com", "https://10.0.0.1/v1", false)]
    public async Task Matches_Entry_CoversHostAndPortAsCurlDoes(string noProxy, string url, bool expected)
    {
        var list = NoProxyList.Parse(noProxy, out _);

        await Assert.That(list.Matches(new Uri(url))).IsEqualTo(expected);
    }

    [Test]
    public async Task Parse_EntriesThatAreNoHostAddressOrRange_AreIgnoredAndNamed()
    {
        var list = NoProxyList.Parse("http://proxy.corp, example.com, 10.0.0.0/99, host:port, [::1, 10.0.0.0/x, a b", out var ignored);

        await Assert.That(ignored).IsEquivalentTo(["http://proxy.corp", "10.0.0.0/99", "host:port", "[::1", "10.0.0.0/x"]);
        await Assert.That(list.Matches(new Uri("https://api.example.com"))).IsTrue();
        await Assert.That(list.Matches(new Uri("https://b"))).IsTrue();
    }

    [Test]
    public async Task Parse_Nothing_IsTheEmptyList()
    {
        var list = NoProxyList.Parse(" , ", out var ignored);

        await Assert.That(list).IsSameReferenceAs(NoProxyList.Empty);
        await Assert.That(ignored).IsEmpty();
    }
}
