using System.Text;

namespace Vdm.Cli;

/// <summary>
/// Asks questions on stderr and reads the answers from stdin, one a line, so that stdout carries only the command's
/// result. Piped answers are echoed after their question (secrets as fingerprints), so the transcript reads like a
/// terminal session; on a terminal a secret is read without echo. An invalid answer is explained and asked again.
/// </summary>
internal sealed class Prompter(CliContext context)
{
    /// <summary>Writes a line of explanation between questions.</summary>
    public Task SayAsync(string line) => context.Error.WriteLineAsync(line);

    /// <summary>
    /// Asks until <paramref name="check"/> accepts the answer (it returns the problem otherwise, one or more lines); an
    /// empty answer means <paramref name="defaultValue"/> when there is one. Throws <see cref="SetupInputEndedException"/>
    /// when the input ends first.
    /// </summary>
    public Task<string> AskAsync(string question, string? defaultValue, Func<string, string?> check, CancellationToken cancellationToken) =>
        AskAsync(question, defaultValue, check, secret: null, cancellationToken);

    /// <summary>Like <see cref="AskAsync(string, string?, Func{string, string?}, CancellationToken)"/>, but the answer is shown only as <paramref name="display"/> makes it.</summary>
    public Task<string> AskSecretAsync(string question, Func<string, string?> check, Func<string, string> display, CancellationToken cancellationToken) =>
        AskAsync(question, defaultValue: null, check, display, cancellationToken);

    /// <summary>A yes/no question whose answer defaults to no, as does the end of the input: nothing is assumed.</summary>
    public async Task<bool> ConfirmAsync(string question, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await AskAsync(question + " [y/N]", null, answer => answer.ToLowerInvariant() is "" or "y" or "yes" or "n" or "no" ? null : "answer y or n",
                secret: null, cancellationToken).ConfigureAwait(false);
            return answer.ToLowerInvariant() is "y" or "yes";
        }
        catch (SetupInputEndedException)
        {
            return false;
        }
    }

    private async Task<string> AskAsync(
        string question, string? defaultValue, Func<string, string?> check, Func<string, string>? secret, CancellationToken cancellationToken)
    {
        while (true)
        {
            await context.Error.WriteAsync(defaultValue is null ? $"{question}: " : $"{question} [{defaultValue}]: ").ConfigureAwait(false);
            await context.Error.FlushAsync(cancellationToken).ConfigureAwait(false);

            var line = secret is not null && context.InputIsTerminal
                ? ReadHidden()
                : await context.Input.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null)
            {
                await context.Error.WriteLineAsync().ConfigureAwait(false);
                throw new SetupInputEndedException(question);
            }

            var answer = line.Trim();
            if (secret is not null)
            {
                // A terminal showed nothing while the secret was typed: the fingerprint confirms something arrived.
                await context.Error.WriteLineAsync(secret(answer)).ConfigureAwait(false);
            }
            else if (!context.InputIsTerminal)
            {
                await context.Error.WriteLineAsync(answer).ConfigureAwait(false);
            }

            if (answer.Length == 0 && defaultValue is not null)
            {
                answer = defaultValue;
            }

            if (check(answer) is not { } problem)
            {
                return answer;
            }

            foreach (var problemLine in problem.Split('\n'))
            {
                await context.Error.WriteLineAsync("  " + problemLine).ConfigureAwait(false);
            }
        }
    }

    /// <summary>One line from the terminal without echo; null on Ctrl+D (Ctrl+Z on Windows) at the start of the line.</summary>
    private static string? ReadHidden()
    {
        var text = new StringBuilder();
        while (true)
        {
            var key = Console.ReadKey(intercept: true);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    return text.ToString();
                case ConsoleKey.Backspace:
                    text.Length = Math.Max(0, text.Length - 1);
                    break;
                default:
                    if (text.Length == 0 && key.KeyChar is '\u0004' or '\u001a')
                    {
                        return null;
                    }

                    if (!char.IsControl(key.KeyChar))
                    {
                        text.Append(key.KeyChar);
                    }

                    break;
            }
        }
    }
}

/// <summary>The input ended before a question that needs an answer; nothing is written.</summary>
internal sealed class SetupInputEndedException(string question) : Exception($"the input ended before an answer to \"{question}\"")
{
    public string Question { get; } = question;
}
