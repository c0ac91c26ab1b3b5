namespace Vdm.Gateway.Configuration;

/// <summary>
/// Watches the configuration files for <c>--reload</c> and calls back once a burst of changes has settled. It watches
/// each file's directory rather than the file, so that a file created after the start, deleted, or saved by an
/// editor that writes a temporary file and renames it over the old one is seen too. A directory that does not exist
/// at the start (no <c>~/.config/vdm</c>) is not watched.
/// </summary>
internal sealed class EnvFileWatcher : IDisposable
{
    public static readonly TimeSpan DefaultQuiet = TimeSpan.FromMilliseconds(250);

    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly Debouncer _debouncer;

    /// <param name="paths">The files' full paths.</param>
    /// <param name="onChanged">Runs on a timer thread after <paramref name="quiet"/> without further changes.</param>
    /// <param name="onError">Told when the system dropped events (its queue overflowed); a reload follows anyway.</param>
    public EnvFileWatcher(IEnumerable<string> paths, TimeProvider time, TimeSpan quiet, Action onChanged, Action<Exception>? onError = null)
    {
        _debouncer = new Debouncer(time, quiet, onChanged);
        foreach (var directory in paths.GroupBy(path => Path.GetDirectoryName(path)!, StringComparer.Ordinal))
        {
            if (!Directory.Exists(directory.Key))
            {
                continue;
            }

            var names = directory.Select(Path.GetFileName).ToHashSet(StringComparer.Ordinal);
            var watcher = new FileSystemWatcher(directory.Key)
            {
                NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime,
                IncludeSubdirectories = false,
            };

            // Filtered here rather than with Filters: a rename matters when either its old or its new name is ours.
            FileSystemEventHandler changed = (_, e) =>
            {
                if (names.Contains(e.Name) || (e is RenamedEventArgs renamed && names.Contains(renamed.OldName)))
                {
                    _debouncer.Poke();
                }
            };
            watcher.Changed += changed;
            watcher.Created += changed;
            watcher.Deleted += changed;
            watcher.Renamed += (sender, e) => changed(sender, e);
            watcher.Error += (_, e) =>
            {
                onError?.Invoke(e.GetException());
                _debouncer.Poke();
            };
            watcher.EnableRaisingEvents = true;
            _watchers.Add(watcher);
        }
    }

    /// <summary>The directories actually watched.</summary>
    public IReadOnlyList<string> Directories => [.. _watchers.Select(watcher => watcher.Path)];

    public void Dispose()
    {
        foreach (var watcher in _watchers)
        {
            watcher.Dispose();
        }

        _debouncer.Dispose();
    }
}
