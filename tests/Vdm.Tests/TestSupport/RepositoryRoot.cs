namespace Vdm.Tests.TestSupport;

/// <summary>The repository checkout the tests were built from (the folder holding vdm.csproj).</summary>
internal static class RepositoryRoot
{
    public static string Path { get; } = Find();

    public static string ReadFile(string relativePath) => File.ReadAllText(System.IO.Path.Combine(Path, relativePath));

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "vdm.csproj")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("no vdm.csproj above " + AppContext.BaseDirectory);
    }
}
