using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Vdm.Gateway.Upstream;

/// <summary>
/// The hosts <c>NO_PROXY</c> sends direct. Entries are separated by commas or whitespace: <c>*</c> (every host), a
/// host name (itself and its subdomains; a leading <c>.</c> or <c>*.</c> changes nothing), an IP address,
/// or a CIDR range; a name or address may end in <c>:port</c> to cover that port only. Names are compared as written,
/// without DNS: <c>example.com</c> does not cover the address it resolves to. An international name is written in its
/// <c>xn--</c> form, the form the destination's host is compared in.
/// </summary>
internal sealed class NoProxyList
{
    public static readonly NoProxyList Empty = new(false, []);

    private static readonly char[] Separators = [',', ' ', '\t', '\r', '\n'];

    private readonly bool _everyHost;
    private readonly Entry[] _entries;

    private NoProxyList(bool everyHost, Entry[] entries)
    {
        _everyHost = everyHost;
        _entries = entries;
    }

    /// <summary>The entries of <paramref name="text"/>; <paramref name="ignored"/> gets those that are none of the above.</summary>
    public static NoProxyList Parse(string? text, out IReadOnlyList<string> ignored)
    {
        var everyHost = false;
        var entries = new List<Entry>();
        var unusable = new List<string>();
        foreach (var item in (text ?? "").Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (item == "*")
            {
                everyHost = true;
            }
            else if (TryParseEntry(item, out var entry))
            {
                entries.Add(entry);
            }
            else
            {
                unusable.Add(item);
            }
        }

        ignored = unusable;
        return everyHost || entries.Count > 0 ? new NoProxyList(everyHost, [.. entries]) : Empty;
    }

    public bool Matches(Uri destination)
    {
        if (_everyHost)
        {
            return true;
        }

        var address = HostAddress(destination);
        var name = address is null ? destination.IdnHost.TrimEnd('.').ToLowerInvariant() : null;
        foreach (var entry in _entries)
        {
            if (entry.Port is { } port && port != destination.Port)
            {
                continue;
            }

            var matches = entry.Network is { } network
                ? address is not null && network.Contains(address)
                : name is not null && Covers(entry.Name!, name);
            if (matches)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="name"/> is <paramref name="entry"/> or one of its subdomains; merely ending alike is
    /// not enough (api-example.com is not under example.com).
    /// </summary>
    private static bool Covers(string entry, string name) =>
        name.EndsWith(entry, StringComparison.Ordinal) && (name.Length == entry.Length || name[^(entry.Length + 1)] == '.');

    /// <summary>The destination's IP address when it is written as one (IPv4-mapped IPv6 as IPv4), else null.</summary>
    internal static IPAddress? HostAddress(Uri destination)
    {
        if (destination.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6)
            || !IPAddress.TryParse(destination.IdnHost.Trim('[', ']'), out var address))
        {
            return null;
        }

        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }

    private static bool TryParseEntry(string item, out Entry entry)
    {
        entry = default;
        if (item.Contains('/', StringComparison.Ordinal))
        {
            return TryParseRange(item, out entry);
        }

        if (!TrySplitPort(item, out var host, out var port))
        {
            return false;
        }

        if (IsAddressLiteral(host) && IPAddress.TryParse(host, out var address))
        {
            address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
            entry = new Entry(null, new IPNetwork(address, address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128), port);
            return true;
        }

        // *.example.com and .example.com both mean example.com and below.
        var name = host.StartsWith("*.", StringComparison.Ordinal) ? host[2..] : host.TrimStart('.');
        name = name.TrimEnd('.').ToLowerInvariant();
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return false;
        }

        entry = new Entry(name, null, port);
        return true;
    }

    /// <summary><c>10.0.0.0/8</c> or <c>fd00::/8</c>; host bits are dropped (10.1.2.3/8 is 10.0.0.0/8), as Go reads it.</summary>
    private static bool TryParseRange(string item, out Entry entry)
    {
        entry = default;
        var slash = item.IndexOf('/', StringComparison.Ordinal);
        var text = item[..slash].Trim('[', ']');
        if (!IPAddress.TryParse(text, out var address) || !IsAddressLiteral(text)
            || !int.TryParse(item.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        if (prefix > bytes.Length * 8)
        {
            return false;
        }

        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        entry = new Entry(null, new IPNetwork(new IPAddress(bytes), prefix), null);
        return true;
    }

    /// <summary>Splits <c>host:port</c> and <c>[v6]:port</c>; a bare IPv6 address has no port.</summary>
    private static bool TrySplitPort(string item, out string host, out int? port)
    {
        port = null;
        host = item;
        string? portText = null;
        if (item.StartsWith('['))
        {
            var close = item.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            host = item[1..close];
            var rest = item[(close + 1)..];
            if (rest.Length > 0)
            {
                if (rest[0] != ':')
                {
                    return false;
                }

                portText = rest[1..];
            }
        }
        else if (item.Count(c => c == ':') == 1)
        {
            var colon = item.IndexOf(':', StringComparison.Ordinal);
            host = item[..colon];
            portText = item[(colon + 1)..];
        }

        if (portText is not null)
        {
            if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
            {
                return false;
            }

            port = number;
        }

        return host.Length > 0;
    }

    /// <summary>
    /// Dotted-quad IPv4 or any IPv6: IPAddress.TryParse alone also takes "10" or "0x7f.1", which here are host names.
    /// </summary>
    private static bool IsAddressLiteral(string host) => host.Contains(':', StringComparison.Ordinal) || host.Count(c => c == '.') == 3;

    /// <summary>A host name (with its subdomains) or an address range, either optionally limited to one port.</summary>
    private readonly record struct Entry(string? Name, IPNetwork? Network, int? Port);
}
