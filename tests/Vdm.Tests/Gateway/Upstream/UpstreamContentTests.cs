using Vdm.Gateway.Upstream;

namespace Vdm.Tests.Gateway.Upstream;

public class UpstreamContentTests
{
    [Test]
    public async Task Sent_IsFalseUntilTheWholeBodyHasBeenWritten()
    {
        var body = "{\"model\":\"m\"}"u8.ToArray();
        using var content = new UpstreamContent(body);
        var notYet = content.Sent;

        using var target = new MemoryStream();
        await content.CopyToAsync(target);

        await Assert.That(notYet).IsFalse();
        await Assert.That(content.Sent).IsTrue();
        await Assert.That(target.ToArray()).IsEquivalentTo(body);
        await Assert.That(content.Headers.ContentLength).IsEqualTo(body.Length);
    }

    [Test]
    public async Task Sent_StaysFalseWhenTheWriteFails()
    {
        using var content = new UpstreamContent(new byte[16]);

        await Assert.That(async () => await content.CopyToAsync(new FailingStream())).Throws<HttpRequestException>();
        await Assert.That(content.Sent).IsFalse();
    }

    private sealed class FailingStream : MemoryStream
    {
        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromException(new IOException("connection reset"));
    }
}
