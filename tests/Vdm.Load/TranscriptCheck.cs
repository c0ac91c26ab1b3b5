using System.Text;

namespace Vdm.Load;

/// <summary>
/// Follows one stream of Anthropic events and decides whether it arrived whole: exactly one message_start, every
/// text piece once and in order ("0|1|…|N-1|"), a message_stop with nothing after it, and no error event.
/// </summary>
internal sealed class TranscriptCheck(string expectedText)
{
    private const int MaxShownText = 80;

    private readonly StringBuilder _text = new(expectedText.Length);
    private int _messageStarts;
    private int _messageStops;
    private int _afterStop;
    private SseEvent? _error;
    private SseEvent? _malformed;
    private SseEvent? _misnamed;

    /// <summary>The number of text pieces seen so far.</summary>
    public int TextDeltas { get; private set; }

    public void Add(SseEvent sseEvent)
    {
        if (_messageStops > 0 && sseEvent.Name != "ping")
        {
            _afterStop++;
        }

        if (sseEvent.Malformed)
        {
            _malformed ??= sseEvent;
        }
        else if (sseEvent.Type != sseEvent.Name)
        {
            // The event name and the data's type say the same thing in Anthropic streams; a mismatch is a framing bug.
            _misnamed ??= sseEvent;
        }

        switch (sseEvent.Name)
        {
            case "message_start":
                _messageStarts++;
                break;
            case "message_stop":
                _messageStops++;
                break;
            case "error":
                _error ??= sseEvent;
                break;
            case "content_block_delta" when sseEvent.Text is { } text:
                _text.Append(text);
                TextDeltas++;
                break;
        }
    }

    /// <summary>Null when the stream arrived whole; otherwise the first thing wrong with it.</summary>
    public StreamFailure? Verdict()
    {
        if (_error is { } error)
        {
            return new StreamFailure("error event", error.ErrorData ?? "");
        }

        if (_malformed is { } malformed)
        {
            return new StreamFailure("malformed event", $"event: {malformed.Name} data: {Shorten(malformed.ErrorData ?? "")}");
        }

        if (_misnamed is { } misnamed)
        {
            return new StreamFailure("event name and type differ", $"event: {misnamed.Name} with type {misnamed.Type ?? "(none)"}");
        }

        if (_messageStarts != 1)
        {
            return new StreamFailure(_messageStarts == 0 ? "no message_start" : "message_start repeated", $"{_messageStarts} message_start events");
        }

        var text = _text.ToString();
        if (text != expectedText)
        {
            return new StreamFailure("lost or duplicated text", DescribeDifference(text));
        }

        if (_messageStops != 1)
        {
            return new StreamFailure(_messageStops == 0 ? "no message_stop" : "message_stop repeated", $"{_messageStops} message_stop events");
        }

        return _afterStop > 0 ? new StreamFailure("events after message_stop", $"{_afterStop} events followed message_stop") : null;
    }

    /// <summary>Which piece is the first out of place, so a lost piece reads differently from a doubled one.</summary>
    private string DescribeDifference(string text)
    {
        var got = text.Split('|');
        var expected = expectedText.Split('|');
        var position = 0;
        while (position < got.Length && position < expected.Length && got[position] == expected[position])
        {
            position++;
        }

        var expectedPiece = position < expected.Length - 1 ? expected[position] : "the end";
        var gotPiece = position < got.Length - 1 ? got[position] : "the end";
        return $"{TextDeltas} text deltas, {got.Length - 1} pieces of {expected.Length - 1}; piece {position} should be {expectedPiece}, was {gotPiece} (text: {Shorten(text)})";
    }

    private static string Shorten(string text) => text.Length <= MaxShownText ? text : string.Concat(text.AsSpan(0, MaxShownText), "…");
}
