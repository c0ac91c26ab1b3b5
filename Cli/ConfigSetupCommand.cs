using System.CommandLine;
using System.Globalization;
using Vdm.Gateway.Configuration;

namespace Vdm.Cli;

/// <summary>
/// <c>vdm config setup</c>: asks for providers, keys, the default provider and aliases (see <see cref="SetupWizard"/>),
/// then writes <c>./.env</c> (or the <c>--env-file</c> file), replacing an existing one only when told to. Questions go
/// to stderr and answers come from stdin, so they may be piped; stdout gets what was written, keys as fingerprints.
/// Exit 0 when written, 1 when the file was kept or could not be written, 2 when the input ended too soon.
/// </summary>
internal static class ConfigSetupCommand
{
    public static Command Create(CliContext context, Option<string?> envFile)
    {
        var setup = new Command("setup", "Ask for providers, keys, the default provider and aliases, then write ./.env (answers may be piped)");
        setup.SetAction((parseResult, cancellationToken) => RunAsync(context, parseResult.GetValue(envFile), cancellationToken));
        return setup;
    }

    private static async Task<int> RunAsync(CliContext context, string? envFile, CancellationToken cancellationToken)
    {
        var shown = envFile ?? "./.env";
        var path = Path.GetFullPath(envFile ?? ".env", context.Environment.WorkingDirectory);
        var prompter = new Prompter(context);
        await prompter.SayAsync($"vdm config setup writes {shown}. Enter takes the value in [brackets]; answers may be piped, one a line.").ConfigureAwait(false);

        // Asked first, so that no one types keys only to be refused at the end.
        var overwrite = File.Exists(path);
        if (overwrite && !await prompter.ConfirmAsync($"{shown} exists. Replace it?", cancellationToken).ConfigureAwait(false))
        {
            await context.Error.WriteLineAsync($"vdm: {shown} kept as it was; nothing written").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        IReadOnlyList<DotEnvSection> sections;
        try
        {
            sections = await new SetupWizard(prompter).RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (SetupInputEndedException ended)
        {
            await context.Error.WriteLineAsync($"vdm: the input ended before an answer to \"{ended.Question}\"; nothing written").ConfigureAwait(false);
            return ExitCodes.InvalidConfiguration;
        }

        var date = context.Time.GetLocalNow().ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var text = DotEnvWriter.Render(
        [
            $"vdm configuration, written by `vdm config setup` on {date}.",
            "`vdm config show` explains each value and where it comes from; `vdm config validate` checks them.",
            "It holds API keys: keep it private.",
        ], sections);

        // What is checked is the text itself, read back as vdm will read the file.
        var parsed = DotEnvFile.Parse(text, shown);
        var check = SetupCheck.Load(parsed.Values, shown);
        if (parsed.Problems.Count > 0 || !check.IsValid)
        {
            await context.Error.WriteLineAsync($"vdm: setup produced an invalid {shown} (a bug); nothing written:").ConfigureAwait(false);
            foreach (var problem in parsed.Problems.Concat(check.Errors))
            {
                await context.Error.WriteLineAsync("  " + problem).ConfigureAwait(false);
            }

            return ExitCodes.Failed;
        }

        try
        {
            DotEnvWriter.WriteAtomically(path, text, overwrite);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            var reason = !overwrite && File.Exists(path) ? $"{shown} appeared while setup ran" : exception.Message;
            await context.Error.WriteLineAsync($"vdm: cannot write {shown}: {reason}; nothing written").ConfigureAwait(false);
            return ExitCodes.Failed;
        }

        await WarnAboutEnvironmentAsync(context, parsed.Values, shown).ConfigureAwait(false);
        await ReportAsync(context, sections, shown, envFile).ConfigureAwait(false);
        return ExitCodes.Ok;
    }

    /// <summary>An exported variable wins over the file, which would make the new answers look ignored.</summary>
    private static async Task WarnAboutEnvironmentAsync(CliContext context, IReadOnlyDictionary<string, string> written, string shown)
    {
        foreach (var name in written.Keys.Order(StringComparer.Ordinal))
        {
            // An empty key is a value of its own (no credentials); any other empty variable counts as not set.
            if (context.Environment.Variables.TryGetValue(name, out var value)
                && (value.Trim().Length > 0 || name.EndsWith(VariableCatalog.ApiKeySuffix, StringComparison.Ordinal)))
            {
                await context.Error.WriteLineAsync($"vdm: warning: {name} is also set in the environment, which takes precedence over {shown}")
                    .ConfigureAwait(false);
            }
        }
    }

    private static async Task ReportAsync(CliContext context, IReadOnlyList<DotEnvSection> sections, string shown, string? envFile)
    {
        var rows = sections.SelectMany(section => section.Variables)
            .Select(pair => (IReadOnlyList<string>)[pair.Key, ConfigTable.Display(pair.Key, pair.Value)])
            .ToList();
        var option = envFile is null ? "" : " --env-file " + envFile;
        await context.Output.WriteLineAsync($"wrote {shown}:").ConfigureAwait(false);
        await context.Output.WriteAsync(TextTable.Render(["VARIABLE", "VALUE"], rows)).ConfigureAwait(false);
        await context.Output.WriteLineAsync(
            $"next: `vdm server start{option}` runs the gateway; `vdm config show{option}` shows each value and where it comes from").ConfigureAwait(false);
    }
}
