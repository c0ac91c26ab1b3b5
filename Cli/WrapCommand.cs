using System.CommandLine;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>
/// <c>vdm wrap claude [--host H] [--port N] [--dry-run] [-- claude args...]</c>, and <c>claude.vdm [claude args...]</c>:
/// Claude Code through vdm in one command. See <see cref="ClaudeWrapper"/> for what it does.
/// </summary>
internal static class WrapCommand
{
    /// <summary>The name of the link that means <c>vdm wrap claude --</c>: every argument is claude's.</summary>
    public const string ClaudeLinkName = "claude.vdm";

    public static Command Create(CliContext context, Option<string?> envFile)
    {
        var host = new Option<string?>("--host") { Description = "Where the gateway listens, or is looked for (overrides HOST; default 127.0.0.1)", HelpName = "address" };
        var port = new Option<string?>("--port", "-p") { Description = "The gateway's port (overrides PORT; default 8082)", HelpName = "port" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would run (gateway, command, environment) and start nothing" };
        var arguments = new Argument<string[]>("claude-args")
        {
            Description = "Arguments for claude, after -- (passed as they are)",
            Arity = ArgumentArity.ZeroOrMore,
        };

        var claude = new Command("claude", "Run Claude Code through vdm: reuse the vdm on HOST:PORT or start one for the session")
        {
            host, port, dryRun, arguments,
        };
        claude.SetAction((parseResult, cancellationToken) =>
        {
            var flags = new Dictionary<string, string>(StringComparer.Ordinal);
            if (parseResult.GetValue(host) is { } hostValue)
            {
                flags[VariableCatalog.Host] = hostValue;
            }

            if (parseResult.GetValue(port) is { } portValue)
            {
                flags[VariableCatalog.Port] = portValue;
            }

            var request = new WrapRequest(parseResult, envFile, flags, parseResult.GetValue(dryRun), parseResult.GetValue(arguments) ?? []);
            return ClaudeWrapper.RunAsync(context, request, cancellationToken);
        });

        return new Command("wrap", "Run a tool through vdm (claude), starting a gateway for it when none is running") { claude };
    }

    /// <summary>
    /// Whether the program was started as <c>claude.vdm</c> (a link to vdm). Native AOT resolves
    /// <see cref="Environment.ProcessPath"/> through the link, so only argv[0] still carries the name it was called by.
    /// </summary>
    public static bool IsClaudeLink(string? argumentZero)
    {
        var name = Path.GetFileName(argumentZero ?? "");
        if (OperatingSystem.IsWindows() && name.EndsWith(".exe", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^4];
        }

        return name.Equals(ClaudeLinkName, OperatingSystem.IsWindows() ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal);
    }

    /// <summary><c>claude.vdm a b</c> is <c>vdm wrap claude -- a b</c>: after <c>--</c> nothing is read as vdm's, not even <c>--help</c>.</summary>
    public static string[] ClaudeLinkArguments(string[] args) => ["wrap", "claude", "--", .. args];
}
