using System.Security.Cryptography;
using System.Text;

namespace Vdm.Conversion;

/// <summary>
/// Tool names as the client wrote them and as an OpenAI-format upstream accepts them (at most 64 characters of
/// <c>[A-Za-z0-9_-]</c>). A name that breaks the rule is shortened deterministically, to a readable prefix plus a hash
/// of the whole name, so the same name maps the same way in <c>tools</c>, <c>tool_choice</c> and history on every
/// request, and responses map it back (peers.md §3.1 item 26).
/// </summary>
internal sealed class ToolNameMap
{
    public const int MaxLength = 64;

    private readonly Dictionary<string, string> _toUpstream;
    private readonly Dictionary<string, string> _toClient;

    private ToolNameMap(Dictionary<string, string> toUpstream)
    {
        _toUpstream = toUpstream;
        _toClient = toUpstream.ToDictionary(pair => pair.Value, pair => pair.Key, StringComparer.Ordinal);
    }

    /// <summary>The map for requests whose tool names all pass as they are.</summary>
    public static ToolNameMap Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    public bool IsEmpty => _toUpstream.Count == 0;

    public static ToolNameMap Create(IEnumerable<string> clientNames)
    {
        Dictionary<string, string>? map = null;
        foreach (var name in clientNames)
        {
            if (IsAccepted(name))
            {
                continue;
            }

            map ??= new Dictionary<string, string>(StringComparer.Ordinal);
            map.TryAdd(name, Shorten(name));
        }

        return map is null ? Empty : new ToolNameMap(map);
    }

    /// <summary>The name to send upstream for a client's tool name.</summary>
    public string ToUpstream(string clientName) => _toUpstream.GetValueOrDefault(clientName, clientName);

    /// <summary>The client's name for a name the upstream used; unknown names come back unchanged.</summary>
    public string ToClient(string upstreamName) => _toClient.GetValueOrDefault(upstreamName, upstreamName);

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
