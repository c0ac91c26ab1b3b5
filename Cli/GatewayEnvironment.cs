using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>
/// The environment of a gateway <c>vdm wrap</c> starts: the user's, without any <c>{NAME}_BASE_URL</c> that points at
/// the gateway itself. The shell that runs <c>claude.vdm</c> is the one most likely to still export
/// <c>ANTHROPIC_BASE_URL=http://localhost:8082</c> for Claude Code, and vdm reads that variable as the anthropic
/// provider's upstream. vdm would ignore it anyway (<see cref="ListenAddress.IsSelf"/>), with a warning meant for a
/// user who exported it by mistake; wrap knows why it is there, so the gateway never sees it.
/// </summary>
internal static class GatewayEnvironment
{
    public static Dictionary<string, string> WithoutSelfUrls(
        IReadOnlyDictionary<string, string> user, ListenAddress listen, out IReadOnlyList<string> removed)
    {
        ArgumentNullException.ThrowIfNull(user);
        var environment = new Dictionary<string, string>(user, StringComparer.Ordinal);
        var names = new List<string>();
        foreach (var (name, value) in user)
        {
            if (name.EndsWith(VariableCatalog.BaseUrlSuffix, StringComparison.Ordinal)
                && Uri.TryCreate(value.Trim(), UriKind.Absolute, out var url)
                && listen.IsSelf(url))
            {
                environment.Remove(name);
                names.Add($"{name}={value.Trim()}");
            }
        }

        names.Sort(StringComparer.Ordinal);
        removed = names;
        return environment;
    }
}
