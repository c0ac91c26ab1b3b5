using System.Text;
using System.Text.Json;

namespace Vdm.Gateway.Keys;

/// <summary>Finds the Claude Code session a request belongs to, so <see cref="ApiKeyRing"/> can keep it on one key.</summary>
internal static class ClaudeCodeSession
{
    /// <summary>The header Claude Code sends with its session id.</summary>
    public const string HeaderName = "x-claude-code-session-id";

    private const string SessionMarker = "_session_";

    /// <summary>
    /// The session id from the <c>x-claude-code-session-id</c> header value, else from the request's
    /// <c>metadata.user_id</c>: the part after <c>_session_</c> in <c>user_&lt;hash&gt;_account_&lt;uuid&gt;_session_&lt;uuid&gt;</c>,
    /// or the <c>session_id</c> member when the user id is itself a JSON object. Null when neither names a session.
    /// </summary>
    public static string? Id(string? header, string? metadataUserId)
    {
        if (!string.IsNullOrWhiteSpace(header))
        {
            return header.Trim();
        }

        if (string.IsNullOrWhiteSpace(metadataUserId))
        {
            return null;
        }

        var userId = metadataUserId.Trim();
        if (userId.StartsWith('{'))
        {
            return FromJson(userId);
        }

        var marker = userId.LastIndexOf(SessionMarker, StringComparison.Ordinal);
        if (marker < 0)
        {
            return null;
        }

        var session = userId[(marker + SessionMarker.Length)..];
        return session.Length == 0 ? null : session;
    }

    // Tolerance, not a documented format: a user id that is itself a JSON object, {"device_id":…,"session_id":…}.
    private static string? FromJson(string userId)
    {
        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(userId));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isSession = reader.ValueTextEquals("session_id"u8);
                reader.Read();
                if (isSession && reader.TokenType == JsonTokenType.String)
                {
                    var session = reader.GetString();
                    return string.IsNullOrWhiteSpace(session) ? null : session;
                }

                reader.Skip();
            }

            return null;
        }
        catch (Exception exception) when (exception is JsonException or InvalidOperationException)
        {
            // Not JSON, or JSON whose strings are not text (an escaped half surrogate pair): no session either way.
            return null;
        }
    }
}
