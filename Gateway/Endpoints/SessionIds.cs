using Microsoft.AspNetCore.Http;

namespace Vdm.Gateway.Endpoints;

/// <summary>The Claude Code session a request belongs to, so that one session stays on one key (prompt caching is per key).</summary>
internal static class SessionIds
{
    public static string? From(IHeaderDictionary headers) =>
        headers["x-claude-code-session-id"].ToString() is { Length: > 0 } session ? session : null;
}
