using System.Security.Cryptography;
using System.Text;

namespace Vdm.Conversion;

/// <summary>
/// Tool names as the client wrote them and as an OpenAI-format upstream accepts them (at most 64 characters of
/// <c>[A-Za-z0-9_-]</c>). A name that breaks the rule is shortened deterministically, to a readable prefix plus a hash
/// of the whole name, so the same name maps the same way in <c>tools</c>, <c>tool_choice</c> and history on every
/// request, and responses map it back (peers.md §3.1 item 26).
/// </summary>
/// <remarks>
/// One map serves one request: the request conversion registers each name as it meets it (the shortening is a pure
/// function of the name, so no name needs to be known in advance), and the response conversion reads it back.
/// </remarks>
internal sealed class ToolNameMap
{
    public const int MaxLength = 64;

    private Dictionary<string, string>? _toUpstream;
    private Dictionary<string, string>? _toClient;

    /// <summary>A fresh map for a request whose tool names all pass as they are (never shared, since maps fill up).</summary>
    public static ToolNameMap Empty => new();

    /// <summary>True while no name has needed shortening.</summary>
    public bool IsEmpty => _toUpstream is null;

    /// <summary>A map with <paramref name="clientNames"/> registered.</summary>
    public static ToolNameMap Create(IEnumerable<string> clientNames)
    {
        var map = new ToolNameMap();
        foreach (var name in clientNames)
        {
            map.ToUpstream(name);
        }

        return map;
    }

    /// <summary>The name to send upstream for a client's tool name, registering it when it had to be shortened.</summary>
    public string ToUpstream(string clientName)
    {
        if (IsAccepted(clientName))
        {
            return clientName;
        }

        if (_toUpstream?.TryGetValue(clientName, out var known) == true)
        {
            return known;
        }

        var shortened = Shorten(clientName);
        (_toUpstream ??= new(StringComparer.Ordinal))[clientName] = shortened;
        (_toClient ??= new(StringComparer.Ordinal))[shortened] = clientName;
        return shortened;
    }

    /// <summary>The client's name for a name the upstream used; unknown names come back unchanged.</summary>
    public string ToClient(string upstreamName) =>
        _toClient is not null && _toClient.TryGetValue(upstreamName, out var original) ? original : upstreamName;

    public static bool IsAccepted(string name) =>
        name.Length is > 0 and <= MaxLength && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_' || c == '-');

    // 55 readable characters, '_', and 8 hex digits of SHA-256 over the full name: 64 in all.
    private static string Shorten(string name)
    {
        var readable = new StringBuilder(55);
        foreach (var c in name)
        {
            if (readable.Length == 55)
            {
                break;
            }

            readable.Append(char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_');
        }

        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(name), hash);
        return readable.Append('_').Append(Convert.ToHexStringLower(hash[..4])).ToString();
    }
}
