using System.Text;
using Vdm.Conversion;
using Vdm.Gateway.Metrics;

namespace Vdm.Tests.Gateway.Metrics;

/// <summary>
/// Healthy OpenAI streams must never be taken for truncated ones (the relay ends those with an error line and a cut):
/// a finish_reason in any spacing or choice, a line too long to hold, and <c>data:[DONE]</c> without its space.
/// </summary>
public class ResponseTallyAnswerFinishedTests
{
    private static bool Finished(string stream)
    {
        var tally = new ResponseTally(ApiFormat.OpenAI, new ResponseUsage());
        var bytes = Encoding.UTF8.GetBytes(stream);

        // As ChatCompletionsRelay forwards it: reads of at most 4 KB.
        for (var at = 0; at < bytes.Length; at += 4096)
        {
            tally.ObserveStream(bytes.AsSpan(at, Math.Min(4096, bytes.Length - at)));
        }

        return tally.AnswerFinished;
    }

    [Test]
    public async Task AnswerFinished_SpaceBeforeTheColon_IsSeen()
    {
        // Pretty-ish JSON writers (Python json.dumps with separators=(", ", " : ") , some Go/Java relays).
        await Assert.That(Finished("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"},\"finish_reason\" : \"stop\"}]}\n\n")).IsTrue();
    }

    [Test]
    public async Task AnswerFinished_SecondChoiceFinishingFirst_FirstChoiceFinishingLater_IsSeen()
    {
        // n=2: the chunk that ends choice 0 also names choice 1 (null) first; only the first "finish_reason" is looked at.
        await Assert.That(Finished(
            "data: {\"choices\":[{\"index\":1,\"delta\":{},\"finish_reason\":null},{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n")).IsTrue();
    }

    [Test]
    public async Task AnswerFinished_OneWholeAnswerChunkOverAMegabyte_IsSeen()
    {
        // A "fake streaming" relay that sends the whole answer as one chunk with its finish_reason and no [DONE].
        var content = new string('x', 1100 * 1024);
        await Assert.That(Finished("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"" + content + "\"},\"finish_reason\":\"stop\"}]}\n\n")).IsTrue();
    }

    [Test]
    public async Task StreamEndWatch_DoneWithoutTheSpace_IsSeen()
    {
        // "data:[DONE]" is valid SSE (the space after the colon is optional), and the tally itself accepts it.
        var watch = StreamEndWatch.ForOpenAI();
        watch.Observe(Encoding.UTF8.GetBytes("data:{\"choices\":[{\"index\":0,\"delta\":{\"content\":\"hi\"}}]}\n\ndata:[DONE]\n\n"));
        await Assert.That(watch.Seen).IsTrue();
    }
}
