using System.CommandLine;

namespace Vdm.Cli;

/// <summary>
/// <c>vdm completion bash|zsh|fish|pwsh</c>: prints a script that completes vdm's commands and options by asking vdm
/// itself (System.CommandLine's <c>[suggest:POSITION] "LINE"</c> directive), so no separate global tool is needed and
/// the suggestions always match the installed version.
/// </summary>
internal static class CompletionCommand
{
    public static Command Create(CliContext context)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh, fish or pwsh" };
        shell.AcceptOnlyFromAmong("bash", "zsh", "fish", "pwsh");
        var command = new Command("completion", "Print a shell completion script: eval \"$(vdm completion bash)\" (see docs for each shell)") { shell };
        command.SetAction(async (parseResult, _) =>
        {
            await context.Output.WriteAsync(Script(parseResult.GetValue(shell)!)).ConfigureAwait(false);
            return ExitCodes.Ok;
        });
        return command;
    }

    public static string Script(string shell) => shell switch
    {
        "bash" => """
            # vdm completion for bash: eval "$(vdm completion bash)" in ~/.bashrc
            _vdm_complete() {
                local suggestions
                suggestions="$("${COMP_WORDS[0]}" "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)" || return 0
                local IFS=$'\n'
                COMPREPLY=($(compgen -W "${suggestions}" -- "${COMP_WORDS[COMP_CWORD]}"))
            }
            complete -o default -F _vdm_complete vdm

            """,
        "zsh" => """
            # vdm completion for zsh: eval "$(vdm completion zsh)" in ~/.zshrc (after compinit)
            _vdm() {
                local -a suggestions
                suggestions=("${(@f)$("${words[1]}" "[suggest:${CURSOR}]" "${BUFFER}" 2>/dev/null)}")
                compadd -a suggestions
            }
            compdef _vdm vdm

            """,
        "fish" => """
            # vdm completion for fish: vdm completion fish > ~/.config/fish/completions/vdm.fish
            complete -c vdm -f -a '(set -l line (commandline -cp); vdm "[suggest:"(string length -- "$line")"]" "$line" 2>/dev/null)'

            """,
        _ => """
            # vdm completion for PowerShell: vdm completion pwsh | Out-String | Invoke-Expression (in $PROFILE)
            Register-ArgumentCompleter -Native -CommandName vdm -ScriptBlock {
                param($wordToComplete, $commandAst, $cursorPosition)
                $line = $commandAst.ToString()
                $position = $cursorPosition - $commandAst.Extent.StartOffset
                & vdm "[suggest:$position]" "$line" 2>$null | ForEach-Object {
                    [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
                }
            }

            """,
    };
}
