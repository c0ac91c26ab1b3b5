using System.Buffers;

namespace Vdm.Conversion;

/// <summary>Rewrites a converted upstream request; returns false to send it unchanged (nothing written then).</summary>
internal delegate bool RequestRewriter(ReadOnlyMemory<byte> request, IBufferWriter<byte> rewritten);

/// <summary>
/// Rewrites one piece of upstream JSON before it is translated: a whole response body, or one stream chunk's data;
/// returns false to keep it unchanged (nothing written then).
/// </summary>
internal delegate bool UpstreamRewriter(ReadOnlySpan<byte> json, IBufferWriter<byte> rewritten);

/// <summary>
/// Where middleware (compiled in, chosen per provider or model by configuration) plugs into one request's
/// conversion: after the request is converted and before it is sent, and on each piece of upstream JSON before it is
/// translated back. Both work on the provider's own format, where provider extensions live (Gemini's
/// <c>extra_content.google.thought_signature</c> on tool calls, for one). With no hook attached the adapters take
/// their direct path and pay nothing; with one, a pooled copy of the piece is handed to it.
/// </summary>
internal sealed class ConversionHooks
{
    public RequestRewriter? RewriteRequest { get; init; }

    public UpstreamRewriter? RewriteUpstream { get; init; }
}
