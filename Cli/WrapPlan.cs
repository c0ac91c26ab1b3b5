namespace Vdm.Cli;

/// <summary>
/// What <c>vdm wrap claude --dry-run</c> prints: the gateway it would reuse or start, the URL, claude's command line and
/// the variables it would set. The proxy key appears only as its fingerprint.
/// </summary>
internal sealed record WrapPlan(
    HealthProbe? Probe, string? Busy, GatewayLaunch Launch, string LogShown, IReadOnlyList<string> LeftOut, string Url, string? Claude,
    IReadOnlyList<string> ClaudeArguments, IReadOnlyList<ClaudeVariable> Variables, IReadOnlyDictionary<string, string> User)
{
    public async Task WriteAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        await output.WriteLineAsync("vdm wrap claude (dry run: nothing is started)").ConfigureAwait(false);
        if (Busy is not null)
        {
            await output.WriteLineAsync($"  gateway:      none: {Busy}").ConfigureAwait(false);
        }
        else if (Probe is { Healthy: true } probe)
        {
            await output.WriteLineAsync($"  gateway:      reuse the vdm {probe.Version} answering {probe.Url}").ConfigureAwait(false);
        }
        else
        {
            await output.WriteLineAsync($"  gateway:      start one: {Launch.CommandLine}").ConfigureAwait(false);
            await output.WriteLineAsync($"  gateway log:  {LogShown}").ConfigureAwait(false);
            foreach (var variable in LeftOut)
            {
                await output.WriteLineAsync($"  left out:     {variable} (points at the gateway itself)").ConfigureAwait(false);
            }
        }

        await output.WriteLineAsync($"  url:          {Url}").ConfigureAwait(false);
        var command = Claude is null
            ? "claude: NOT FOUND on PATH (the run would exit 127)"
            : string.Join(' ', [ShellWords.Quote(Claude), .. ClaudeArguments.Select(ShellWords.Quote)]);
        await output.WriteLineAsync($"  command:      {command}").ConfigureAwait(false);

        var label = "  environment:  ";
        foreach (var variable in Variables)
        {
            await output.WriteLineAsync($"{label}{variable.Name}={variable.Shown}  ({variable.Reason})").ConfigureAwait(false);
            label = new string(' ', label.Length);
        }

        foreach (var name in (string[])[ClaudeEnvironment.ApiKey, ClaudeEnvironment.AuthToken, ClaudeEnvironment.CustomHeaders])
        {
            if (User.ContainsKey(name) && !Variables.Any(variable => variable.Name == name))
            {
                await output.WriteLineAsync($"  kept:         {name} (yours, unchanged)").ConfigureAwait(false);
            }
        }
    }
}
