namespace Vdm.Tests.TestSupport;

/// <summary>
/// Fixture files under <c>tests/Fixtures</c>: inputs are read from the test output folder; expected outputs are
/// compared with the checked-in file, which <c>VDM_UPDATE_GOLDEN=1</c> rewrites instead.
/// </summary>
internal static class GoldenFile
{
    public static byte[] ReadInput(string name) => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Fixtures", name));

    /// <summary>The expected content, or (when updating) <paramref name="actual"/> after writing it as the new expectation.</summary>
    public static string Expected(string name, string actual)
    {
        var path = Path.Combine(RepositoryRoot.Path, "tests", "Fixtures", name);
        if (Environment.GetEnvironmentVariable("VDM_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(path, actual);
            return actual;
        }

        return File.Exists(path) ? File.ReadAllText(path) : $"(no golden file {name}: run VDM_UPDATE_GOLDEN=1 ./build.sh test)";
    }
}
