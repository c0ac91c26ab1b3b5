using System.Buffers;
using System.Text;
using Vdm.Gateway.Configuration;
using Vdm.Gateway.Middleware;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Middleware;

public class MiddlewarePipelineTests
{
    /// <summary>Appends its mark to every request and answer, and notes what it saw.</summary>
    private sealed class Marker(string name, bool takesPart = true) : ProxyMiddleware
    {
        public List<string> Seen { get; } = [];

        public override string Name => name;

        public override MiddlewareRun? Begin(MiddlewareRequest request) => takesPart ? new Run(this) : null;

        private sealed class Run(Marker owner) : MiddlewareRun
        {
            public override bool RewriteRequest(ReadOnlySpan<byte> request, IBufferWriter<byte> rewritten)
            {
                owner.Seen.Add("request:" + Encoding.UTF8.GetString(request));
                rewritten.Write(request);
                rewritten.Write(Encoding.UTF8.GetBytes("+" + owner.Name));
                return true;
            }

            public override bool RewriteResponse(ReadOnlySpan<byte> json, IBufferWriter<byte> rewritten)
            {
                owner.Seen.Add("response:" + Encoding.UTF8.GetString(json));
                return false;
            }

            public override void Completed(MiddlewareOutcome outcome) => owner.Seen.Add($"completed:{outcome.Status}");
        }
    }

    private static ProviderSettings Provider(params string[] middleware) =>
        TestVariables.Settings(("OPENAI_API_KEY", "sk-1")).FindProvider("openai")! with
        {
            Middleware = [.. middleware.Select(name => new MiddlewareSelection(name.Split(':')[0], name.Contains(':') ? new Vdm.Gateway.Glob(name.Split(':')[1]) : null))],
        };

    private static readonly MiddlewareRequest Request = new("req_1", "openai", "gpt-4o", "fast", Stream: false);

    [Test]
    public async Task Hooks_RunInTheConfiguredOrder_EachSeeingThePreviousRewrite()
    {
        var (first, second) = (new Marker("first"), new Marker("second"));
        var pipeline = new MiddlewareSet([first, second]).For(Provider("second", "first"), Request)!;
        var output = new ArrayBufferWriter<byte>();

        var rewritten = pipeline.Hooks.RewriteRequest!("{}"u8.ToArray(), output);
        var kept = pipeline.Hooks.RewriteUpstream!("{\"a\":1}"u8, new ArrayBufferWriter<byte>());
        pipeline.Completed(new MiddlewareOutcome(200, null));

        await Assert.That(rewritten).IsTrue();
        await Assert.That(Encoding.UTF8.GetString(output.WrittenSpan)).IsEqualTo("{}+second+first");
        await Assert.That(second.Seen).IsEquivalentTo(["request:{}", "response:{\"a\":1}", "completed:200"]);
        await Assert.That(first.Seen).IsEquivalentTo(["request:{}+second", "response:{\"a\":1}", "completed:200"]);
        await Assert.That(kept).IsFalse();
    }

    [Test]
    public async Task For_NoneConfiguredNoneApplyingOrNoneTakingPart_IsNull()
    {
        var set = new MiddlewareSet([new Marker("shy", takesPart: false), new Marker("picky")]);

        await Assert.That(set.For(Provider(), Request)).IsNull();
        await Assert.That(set.For(Provider("shy"), Request)).IsNull();
        await Assert.That(set.For(Provider("picky:gemini-*"), Request)).IsNull();
        await Assert.That(set.For(Provider("picky:gpt-*"), Request)).IsNotNull();
    }
}
