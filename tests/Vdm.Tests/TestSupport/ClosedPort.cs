using System.Net;
using System.Net.Sockets;

namespace Vdm.Tests.TestSupport;

/// <summary>A loopback port nothing listens on, so connecting to it is refused: a provider that is down.</summary>
internal static class ClosedPort
{
    public static int Find()
    {
        // The port was free a moment ago and is released again; nothing in the tests binds fixed ports.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
