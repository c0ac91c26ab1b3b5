using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vdm.Conversion.Json;

namespace Vdm.Gateway.Middleware;

/// <summary>
/// Gemini's thought signatures, round-tripped for clients that know nothing of them (Claude Code). Gemini's
/// OpenAI-compatible endpoint puts one on each tool call (<c>extra_content.google.thought_signature</c>) and refuses
/// the next turn ("Function call is missing a thought_signature") unless each comes back on the same call.
/// <list type="bullet">
/// <item>Answers, whole or streamed: a tool call with a signature is given a carrier id
/// (<see cref="ThoughtSignatureCarrier"/>), which the client echoes; a signature that arrives after its call's id
/// was already streamed goes to the <see cref="ThoughtSignatureStore"/>.</item>
/// <item>Requests: every assistant tool call with a carrier id gets its original id back and its signature as
/// <c>extra_content</c>, and so does one whose id the store knows; tool results get the original ids too.</item>
/// </list>
/// It runs for every OpenAI-format provider unless <c>GEMINI_THOUGHT_SIGNATURES_ENABLED=false</c>: whatever the
/// provider is called or the alias the client used, it acts as soon as a signature is seen, and otherwise costs one
/// search per answer piece and per request.
/// </summary>
internal sealed class GeminiThoughtSignatures(ThoughtSignatureStore store) : ProxyMiddleware
{
    public const string MiddlewareName = "gemini-thought-signatures";

    public override string Name => MiddlewareName;

    public ThoughtSignatureStore Store => store;

    public override MiddlewareRun Begin(MiddlewareRequest request) => new Run(store, request.Stream, carry: true);

    /// <summary>
    /// For a provider that does not run this middleware: carrier ids a conversation picked up from Gemini are still
    /// vdm's own encoding, so they go out as the ids they stand for — without signatures, and nothing is captured.
    /// </summary>
    public MiddlewareRun BeginUnwrapOnly(MiddlewareRequest request) => new Run(store, request.Stream, carry: false);

    private sealed class Run(ThoughtSignatureStore store, bool stream, bool carry) : MiddlewareRun
    {
        private static readonly JsonWriterOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

        public override bool RewritesResponses => carry;

        // In a stream, per tool-call index: the id as the provider first sent it, and as the client got it (the same, or
        // its carrier). Later pieces of the same call are made to agree, whatever the provider repeats.
        private Dictionary<int, (string Original, string Sent)>? _streamed;

        public override bool RewriteRequest(ReadOnlySpan<byte> request, IBufferWriter<byte> rewritten)
        {
            if (request.IndexOf(ThoughtSignatureCarrier.PrefixUtf8) < 0 && (!carry || store.IsEmpty || request.IndexOf("\"tool_calls\""u8) < 0))
            {
                return false;
            }

            var (calls, resultIds) = ToolCallScan.Find(request);
            var edits = new List<Edit>();
            foreach (var call in calls)
            {
                if (call.Id is not { } id)
                {
                    continue;
                }

                if (ThoughtSignatureCarrier.TryUnwrap(id, out var original, out var signature))
                {
                    // The call's own id back, and its signature beside it (unless the call somehow carries one already).
                    edits.Add(new Edit(call.IdStart, call.IdEnd, carry && call.Signature is null ? [.. Quoted(original), .. ExtraContent(signature)] : Quoted(original)));
                }
                else if (carry && call.Signature is null && store.TryGet(id, out signature))
                {
                    edits.Add(new Edit(call.IdEnd, call.IdEnd, ExtraContent(signature)));
                }
            }

            foreach (var result in resultIds)
            {
                if (ThoughtSignatureCarrier.TryUnwrap(result.Id, out var original, out _))
                {
                    edits.Add(new Edit(result.Start, result.End, Quoted(original)));
                }
            }

            return Apply(request, edits, rewritten);
        }

        public override bool RewriteResponse(ReadOnlySpan<byte> json, IBufferWriter<byte> rewritten)
        {
            var calls = json.IndexOf("\"tool_calls\""u8);
            if (calls < 0 || !carry)
            {
                return false;
            }

            var signed = json.IndexOf("thought_signature"u8) >= 0;

            // Unsigned pieces matter only in a stream, and only those that name an id: a call's first piece (whose id a
            // later signature will need) or a provider repeating the id on every piece (which must stay the id sent).
            if (!signed && (!stream || json[calls..].IndexOf("\"id\""u8) < 0))
            {
                return false;
            }

            var edits = new List<Edit>();
            foreach (var call in ToolCallScan.Find(json).Calls)
            {
                if (stream)
                {
                    StreamedCall(call, edits);
                }
                else if (call.Signature is { } signature)
                {
                    if (call.Id is { } id)
                    {
                        edits.Add(new Edit(call.IdStart, call.IdEnd, Quoted(ThoughtSignatureCarrier.Wrap(id, signature))));
                    }
                    else
                    {
                        // A whole answer whose call has no id: the client gets one, and it carries the signature.
                        var minted = "call_" + Guid.NewGuid().ToString("N")[..24];
                        edits.Add(new Edit(call.ObjectEnd, call.ObjectEnd, ",\"id\":"u8.ToArray().Concat(Quoted(ThoughtSignatureCarrier.Wrap(minted, signature))).ToArray()));
                    }
                }
            }

            return Apply(json, edits, rewritten);
        }

        private void StreamedCall(FoundToolCall call, List<Edit> edits)
        {
            _streamed ??= [];
            if (_streamed.TryGetValue(call.Index, out var known) && (call.Id is null || call.Id == known.Original || call.Id == known.Sent))
            {
                // A later piece of a call already sent: its id, if repeated, must be the one the client has.
                if (call.Id is not null && call.Id != known.Sent)
                {
                    edits.Add(new Edit(call.IdStart, call.IdEnd, Quoted(known.Sent)));
                }

                // A signature after the id went out plain: only the store can carry it.
                if (call.Signature is { } late && known.Sent == known.Original)
                {
                    store.Add(known.Original, late);
                }

                return;
            }

            if (call.Id is not { } id)
            {
                // Neither an id nor an earlier piece: the translator names this call itself, so there is nothing to key a
                // signature by (providers send the id first).
                return;
            }

            var sent = call.Signature is { } signature ? ThoughtSignatureCarrier.Wrap(id, signature) : id;
            if (sent != id)
            {
                edits.Add(new Edit(call.IdStart, call.IdEnd, Quoted(sent)));
            }

            _streamed[call.Index] = (id, sent);
        }

        /// <summary><paramref name="json"/> with the edits made (in order of position), every other byte as it was.</summary>
        private static bool Apply(ReadOnlySpan<byte> json, List<Edit> edits, IBufferWriter<byte> output)
        {
            if (edits.Count == 0)
            {
                return false;
            }

            edits.Sort(static (a, b) => a.Start.CompareTo(b.Start));
            var at = 0;
            foreach (var edit in edits)
            {
                output.Write(json[at..edit.Start]);
                output.Write(edit.Replacement);
                at = edit.End;
            }

            output.Write(json[at..]);
            return true;
        }

        private static byte[] Quoted(string text)
        {
            var buffer = new ArrayBufferWriter<byte>(text.Length + 2);
            using (var writer = new Utf8JsonWriter(buffer, Relaxed))
            {
                writer.WriteStringValue(text);
            }

            return buffer.WrittenSpan.ToArray();
        }

        private static byte[] ExtraContent(string signature) =>
            [.. ",\"extra_content\":{\"google\":{\"thought_signature\":"u8, .. Quoted(signature), .. "}}"u8];

        /// <summary>Bytes <see cref="Start"/>..<see cref="End"/> replaced (an insertion when they are equal).</summary>
        private readonly record struct Edit(int Start, int End, byte[] Replacement);
    }
}
