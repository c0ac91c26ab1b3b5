using System.Net;

namespace Vdm.Gateway.Configuration;

/// <summary>The address vdm listens on, and the question whether a URL points back at it.</summary>
internal readonly record struct ListenAddress(string Host, int Port)
{
    public bool IsWildcard => Host is "0.0.0.0" or "::" or "[::]";

    /// <summary>
    /// The URL a client on this machine should use: a wildcard bind is reached through the loopback address
    /// (the original printed <c>http://0.0.0.0:…</c>, which some clients cannot connect to).
    /// </summary>
    public string ClientUrl(int actualPort)
    {
        var host = IsWildcard ? "127.0.0.1" : Host;
        if (host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('['))
        {
            host = "[" + host + "]";
        }

        return $"http://{host}:{actualPort}";
    }

    /// <summary>
    /// True when <paramref name="url"/> would reach this vdm: same port, and a loopback host, the bound host, or any
    /// host at all when bound to every interface. Port 0 is chosen at start-up, so nothing can point at it in advance.
    /// </summary>
    public bool IsSelf(Uri url)
    {
        if (Port == 0 || url.Port != Port)
        {
            return false;
        }

        var host = url.IdnHost.Trim('[', ']');
        if (IsWildcard || string.Equals(host, Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }
}
