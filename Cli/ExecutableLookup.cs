namespace Vdm.Cli;

/// <summary>Finds a program on a <c>PATH</c> the way a shell does: the first directory holding an executable file of that name.</summary>
internal static class ExecutableLookup
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The full path, or null. <paramref name="path"/> is the <c>PATH</c> of the environment the program will get.</summary>
    public static string? Find(string name, string? path, string workingDirectory)
    {
        foreach (var directory in (path ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.GetFullPath(Path.Combine(directory, name), workingDirectory);
            if (OperatingSystem.IsWindows())
            {
                // Windows finds claude as claude.exe or claude.cmd (npm's shim); PATHEXT lists what counts.
                foreach (var extension in (Environment.GetEnvironmentVariable("PATHEXT") ?? ".EXE;.CMD;.BAT").Split(';', StringSplitOptions.RemoveEmptyEntries))
                {
                    if (File.Exists(candidate + extension))
                    {
                        return candidate + extension;
                    }
                }
            }
            else if (File.Exists(candidate) && (File.GetUnixFileMode(candidate) & AnyExecute) != 0)
            {
                return candidate;
            }
        }

        return null;
    }
}
