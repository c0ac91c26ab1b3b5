namespace Vdm.EndToEnd;

/// <summary>Finds the published binary: <c>$VDM_BINARY</c>, else <c>dist/vdm</c> at the repository root.</summary>
internal static class VdmBinary
{
    public static string Path { get; } = Locate();

    private static string Locate()
    {
        var configured = Environment.GetEnvironmentVariable("VDM_BINARY");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(configured)
                ? System.IO.Path.GetFullPath(configured)
                : throw new FileNotFoundException($"VDM_BINARY points at {configured}, which does not exist");
        }

        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "vdm.csproj")))
            {
                var binary = System.IO.Path.Combine(directory.FullName, "dist", OperatingSystem.IsWindows() ? "vdm.exe" : "vdm");
                return File.Exists(binary)
                    ? binary
                    : throw new FileNotFoundException($"{binary} is missing: run ./build.sh publish (./build.sh test does it for you)");
            }
        }

        throw new DirectoryNotFoundException("cannot find the repository root (vdm.csproj) above " + AppContext.BaseDirectory);
    }
}
