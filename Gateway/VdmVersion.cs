using System.Reflection;

namespace Vdm.Gateway;

/// <summary>The product version, from the project's single <c>Version</c> property (overridable at build time).</summary>
internal static class VdmVersion
{
    public static string Current { get; } =
        typeof(VdmVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? typeof(VdmVersion).Assembly.GetName().Version?.ToString(3)
        ?? "0.0.0";
}
