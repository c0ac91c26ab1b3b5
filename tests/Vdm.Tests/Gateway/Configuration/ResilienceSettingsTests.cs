using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Configuration;

/// <summary>The timeouts, retry, cooldown, body-size and shutdown variables: defaults, parsing, and refusals.</summary>
public class ResilienceSettingsTests
{
    [Test]
    public async Task Load_NothingSet_UsesTheDocumentedDefaults()
    {
        var settings = TestVariables.Settings();

        await Assert.That(settings.ConnectTimeout).IsEqualTo(TimeSpan.FromSeconds(30));
        await Assert.That(settings.StreamReadTimeout).IsEqualTo(TimeSpan.FromSeconds(300));
        await Assert.That(settings.RetryAfterMax).IsEqualTo(TimeSpan.FromSeconds(30));
        await Assert.That(settings.KeyCooldown).IsEqualTo(TimeSpan.FromSeconds(60));
        await Assert.That(settings.ShutdownTimeout).IsEqualTo(TimeSpan.FromSeconds(8));
        await Assert.That(settings.MaxRequestBytes).IsEqualTo(32L * 1024 * 1024);
        await Assert.That(settings.Outbound).IsSameReferenceAs(OutboundNetwork.Direct);
    }

    [Test]
    public async Task Load_EachVariableSet_IsUsed()
    {
        var settings = TestVariables.Settings(
            ("STREAMING_CONNECT_TIMEOUT_SECONDS", "2.5"),
            ("STREAMING_READ_TIMEOUT_SECONDS", "45"),
            ("RETRY_AFTER_MAX_SECONDS", "10"),
            ("KEY_COOLDOWN_SECONDS", "120"),
            ("SHUTDOWN_TIMEOUT_SECONDS", "3"),
            ("MAX_REQUEST_BYTES", "1048576"));

        await Assert.That(settings.ConnectTimeout).IsEqualTo(TimeSpan.FromMilliseconds(2500));
        await Assert.That(settings.StreamReadTimeout).IsEqualTo(TimeSpan.FromSeconds(45));
        await Assert.That(settings.RetryAfterMax).IsEqualTo(TimeSpan.FromSeconds(10));
        await Assert.That(settings.KeyCooldown).IsEqualTo(TimeSpan.FromSeconds(120));
        await Assert.That(settings.ShutdownTimeout).IsEqualTo(TimeSpan.FromSeconds(3));
        await Assert.That(settings.MaxRequestBytes).IsEqualTo(1048576L);
    }

    [Test]
    [Arguments("STREAMING_CONNECT_TIMEOUT_SECONDS")]
    [Arguments("STREAMING_READ_TIMEOUT_SECONDS")]
    [Arguments("RETRY_AFTER_MAX_SECONDS")]
    [Arguments("KEY_COOLDOWN_SECONDS")]
    [Arguments("SHUTDOWN_TIMEOUT_SECONDS")]
    public async Task Load_NonPositiveSeconds_IsAnError(string name)
    {
        var result = TestVariables.Load((name, "0"));

        await Assert.That(result.Errors).IsEquivalentTo([$"{name}=0 (env): must be a number of seconds above 0 and at most 86400"]);
    }

    [Test]
    [Arguments("100")]
    [Arguments("32MB")]
    public async Task Load_MaxRequestBytesTooSmallOrNotANumber_IsAnError(string value)
    {
        var result = TestVariables.Load(("MAX_REQUEST_BYTES", value));

        await Assert.That(result.Errors).IsEquivalentTo([$"MAX_REQUEST_BYTES={value} (env): must be a whole number of at least 1024"]);
    }

    [Test]
    public async Task Load_ProxyVariables_UpperCaseWinsAndBareHostMeansHttp()
    {
        var settings = TestVariables.Settings(
            ("HTTPS_PROXY", "proxy.corp:3128"),
            ("https_proxy", "http://ignored:1"),
            ("http_proxy", "http://plain:8080"),
            ("no_proxy", " internal.example,10.0.0.0/8 "));

        await Assert.That(settings.Outbound.HttpsProxy).IsEqualTo("http://proxy.corp:3128");
        await Assert.That(settings.Outbound.HttpProxy).IsEqualTo("http://plain:8080");
        await Assert.That(settings.Outbound.NoProxy).IsEqualTo("internal.example,10.0.0.0/8");
    }

    [Test]
    public async Task Load_BadProxyUrl_IsAnErrorThatNeverShowsTheValue()
    {
        var result = TestVariables.Load(("https_proxy", "socks5://user:secret@proxy:1080"));

        await Assert.That(result.Errors).IsEquivalentTo(["https_proxy (env): must be a proxy URL such as http://proxy.example:3128"]);
    }

    [Test]
    public async Task Load_MissingCaPaths_AreErrors()
    {
        var result = TestVariables.LoadFile(("SSL_CERT_FILE", "/nonexistent/ca.pem"), ("SSL_CERT_DIR", "/nonexistent/certs"));

        await Assert.That(result.Errors).IsEquivalentTo([
            "SSL_CERT_FILE=/nonexistent/ca.pem (./.env): is not a file",
            "SSL_CERT_DIR=/nonexistent/certs (./.env): is not a directory",
        ]);
    }
}
