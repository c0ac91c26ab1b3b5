using Vdm.Gateway.Configuration;

namespace Vdm.Tests.Gateway.Configuration;

public class ListenAddressTests
{
    [Test]
    [Arguments("0.0.0.0", true)]
    [Arguments("::", true)]
    [Arguments("[::]", true)]
    [Arguments("127.0.0.1", false)]
    [Arguments("::1", false)]
    [Arguments("localhost", false)]
    [Arguments("192.168.1.20", false)]
    public async Task IsWildcard_Host_IsTrueOnlyForEveryInterface(string host, bool expected)
    {
        var listen = new ListenAddress(host, 8082);

        await Assert.That(listen.IsWildcard).IsEqualTo(expected);
    }

    [Test]
    [Arguments("127.0.0.1", 8082, "http://127.0.0.1:8082")]
    [Arguments("0.0.0.0", 8082, "http://127.0.0.1:8082")]
    [Arguments("::", 9000, "http://127.0.0.1:9000")]
    [Arguments("[::]", 9000, "http://127.0.0.1:9000")]
    [Arguments("::1", 8082, "http://[::1]:8082")]
    [Arguments("[::1]", 8082, "http://[::1]:8082")]
    [Arguments("localhost", 8082, "http://localhost:8082")]
    [Arguments("192.168.1.20", 8082, "http://192.168.1.20:8082")]
    public async Task ClientUrl_Host_IsReachableFromThisMachine(string host, int port, string expected)
    {
        var listen = new ListenAddress(host, port);

        await Assert.That(listen.ClientUrl(port)).IsEqualTo(expected);
    }

    [Test]
    public async Task ClientUrl_PortZero_UsesTheActualPort()
    {
        var listen = new ListenAddress("127.0.0.1", 0);

        await Assert.That(listen.ClientUrl(54321)).IsEqualTo("http://127.0.0.1:54321");
    }

    [Test]
    [Arguments("127.0.0.1", 8082, "http://localhost:8082")]
    [Arguments("127.0.0.1", 8082, "http://LocalHost:8082/v1")]
    [Arguments("127.0.0.1", 8082, "http://127.0.0.1:8082/v1")]
    [Arguments("127.0.0.1", 8082, "http://127.1.2.3:8082")]
    [Arguments("127.0.0.1", 8082, "http://[::1]:8082")]
    [Arguments("127.0.0.1", 8082, "https://localhost:8082")]
    [Arguments("127.0.0.1", 80, "http://localhost")]
    [Arguments("localhost", 8082, "http://127.0.0.1:8082")]
    [Arguments("::1", 8082, "http://[::1]:8082")]
    [Arguments("192.168.1.20", 8082, "http://192.168.1.20:8082")]
    [Arguments("192.168.1.20", 8082, "http://localhost:8082")]
    [Arguments("0.0.0.0", 8082, "http://192.168.1.20:8082")]
    [Arguments("0.0.0.0", 8082, "http://my-laptop.lan:8082")]
    [Arguments("::", 8082, "http://10.0.0.1:8082")]
    public async Task IsSelf_UrlOnVdmsPortAndHost_IsTrue(string host, int port, string url)
    {
        var listen = new ListenAddress(host, port);

        await Assert.That(listen.IsSelf(new Uri(url))).IsTrue();
    }

    [Test]
    [Arguments("127.0.0.1", 8082, "http://localhost:8083")]
    [Arguments("127.0.0.1", 8082, "http://localhost")]
    [Arguments("127.0.0.1", 8082, "https://localhost")]
    [Arguments("127.0.0.1", 8082, "http://192.168.1.20:8082")]
    [Arguments("127.0.0.1", 8082, "http://api.example.com:8082")]
    [Arguments("192.168.1.20", 8082, "http://192.168.1.21:8082")]
    [Arguments("0.0.0.0", 8082, "http://192.168.1.20:8083")]
    [Arguments("127.0.0.1", 0, "http://localhost:0")]
    [Arguments("127.0.0.1", 0, "http://localhost:8082")]
    [Arguments("0.0.0.0", 0, "http://localhost:8082")]
    public async Task IsSelf_UrlElsewhere_IsFalse(string host, int port, string url)
    {
        var listen = new ListenAddress(host, port);

        await Assert.That(listen.IsSelf(new Uri(url))).IsFalse();
    }
}
