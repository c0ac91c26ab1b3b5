using Vdm.Gateway.Configuration;

namespace Vdm.Tests.Gateway.Configuration;

/// <summary>The real file system: the ways a <c>.env</c> gets changed, and the files that must not count.</summary>
public class EnvFileWatcherTests
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);

    [Test]
    public async Task Write_ExistingFile_CallsBack()
    {
        using var directory = new TempDirectory("A=1\n");
        using var watch = directory.Watch();

        File.WriteAllText(directory.EnvPath, "A=2\n");

        await watch.Changed.WaitAsync(Bound);
    }

    [Test]
    public async Task Create_FileThatWasMissing_CallsBack()
    {
        using var directory = new TempDirectory(null);
        using var watch = directory.Watch();

        File.WriteAllText(directory.EnvPath, "A=1\n");

        await watch.Changed.WaitAsync(Bound);
    }

    [Test]
    public async Task Delete_File_CallsBack()
    {
        using var directory = new TempDirectory("A=1\n");
        using var watch = directory.Watch();

        File.Delete(directory.EnvPath);

        await watch.Changed.WaitAsync(Bound);
    }

    [Test]
    public async Task RenameOver_AsEditorsSave_CallsBack()
    {
        using var directory = new TempDirectory("A=1\n");
        var temporary = Path.Combine(directory.Path, ".env.tmp");
        File.WriteAllText(temporary, "A=2\n");
        using var watch = directory.Watch();

        File.Move(temporary, directory.EnvPath, overwrite: true);

        await watch.Changed.WaitAsync(Bound);
    }

    [Test]
    public async Task RenameAway_CallsBack()
    {
        using var directory = new TempDirectory("A=1\n");
        using var watch = directory.Watch();

        File.Move(directory.EnvPath, Path.Combine(directory.Path, ".env.bak"));

        await watch.Changed.WaitAsync(Bound);
    }

    [Test]
    public async Task Write_OtherFileInTheDirectory_DoesNotCallBack()
    {
        using var directory = new TempDirectory("A=1\n");
        using var watch = directory.Watch();

        File.WriteAllText(Path.Combine(directory.Path, ".env.example"), "A=2\n");
        File.WriteAllText(Path.Combine(directory.Path, "notes.txt"), "x");

        // A bounded wait for something that must not happen: many quiet periods long.
        var called = await Task.WhenAny(watch.Changed, Task.Delay(Quiet * 10)) == watch.Changed;
        await Assert.That(called).IsFalse();
    }

    [Test]
    public async Task New_DirectoryMissing_WatchesNothingAndDoesNotThrow()
    {
        using var directory = new TempDirectory(null);
        var missing = Path.Combine(directory.Path, "no-such-dir", ".env");

        using var watcher = new EnvFileWatcher([missing, directory.EnvPath], TimeProvider.System, Quiet, () => { });

        await Assert.That(watcher.Directories).IsEquivalentTo([directory.Path]);
    }

    private sealed class TempDirectory : IDisposable
    {
        private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("vdm-watch-");

        public TempDirectory(string? envText)
        {
            if (envText is not null)
            {
                File.WriteAllText(EnvPath, envText);
            }
        }

        public string Path => _directory.FullName;

        public string EnvPath => System.IO.Path.Combine(Path, ".env");

        public Watch Watch() => new(EnvPath);

        public void Dispose() => _directory.Delete(recursive: true);
    }

    private sealed class Watch : IDisposable
    {
        private readonly TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly EnvFileWatcher _watcher;

        public Watch(string path)
        {
            _watcher = new EnvFileWatcher([path], TimeProvider.System, Quiet, () => _changed.TrySetResult());
        }

        public Task Changed => _changed.Task;

        public void Dispose() => _watcher.Dispose();
    }
}
