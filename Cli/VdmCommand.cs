using System.CommandLine;
using System.CommandLine.Invocation;

namespace Vdm.Cli;

/// <summary>Builds the <c>vdm</c> command tree and runs it with one exit-code policy for every command.</summary>
internal static class VdmCommand
{
    public static RootCommand Create(CliContext context)
    {
        var envFile = new Option<string?>("--env-file")
        {
            Description = "Read this file instead of ./.env (the environment and flags still take precedence)",
            HelpName = "path",
            Recursive = true,
        };

        var root = new RootCommand("vdm: one gateway from Anthropic and OpenAI clients (Claude Code) to any LLM provider.")
        {
            envFile,
            VersionCommand.Create(context),
            ServerCommand.Create(context, envFile),
            ConfigCommand.Create(context, envFile),
            HealthCommand.Create(context, envFile),
            ModelsCommand.Create(context, envFile),
            AliasesCommand.Create(context, envFile),
            CompletionCommand.Create(context),
            WrapCommand.Create(context, envFile),
        };
        return root;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>. Usage errors exit 2 (System.CommandLine's own default is 1, which
    /// this project reserves for failed checks); bare <c>vdm</c> prints the help.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        var root = Create(context);
        var parseResult = root.Parse(args.Length == 0 ? ["--help"] : args);
        var invocation = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,

            // The server stops itself on SIGINT/SIGTERM (graceful, exit 0); System.CommandLine's handler would force 130/143.
            ProcessTerminationTimeout = null,
            EnableDefaultExceptionHandler = false,
        };

        if (parseResult.Action is ParseErrorAction)
        {
            // "Required command was not provided" only restates what a more specific error already says.
            var errors = parseResult.Errors.Count > 1
                ? parseResult.Errors.Where(error => !error.Message.StartsWith("Required command", StringComparison.Ordinal)).ToList()
                : [.. parseResult.Errors];
            foreach (var error in errors)
            {
                await context.Error.WriteLineAsync($"vdm: {error.Message}").ConfigureAwait(false);
            }

            await context.Error.WriteLineAsync("Run 'vdm --help' to see the commands and their options.").ConfigureAwait(false);
            return ExitCodes.InvalidConfiguration;
        }

        try
        {
            return await parseResult.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ExitCodes.Ok;
        }
        catch (Exception exception)
        {
            // A bug, not a user error: one line rather than a stack trace, and the exit code of a failure.
            await context.Error.WriteLineAsync($"vdm: unexpected error: {exception.GetType().Name}: {exception.Message}").ConfigureAwait(false);
            return ExitCodes.Failed;
        }
    }
}
