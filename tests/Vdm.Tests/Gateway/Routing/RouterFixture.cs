using Vdm.Gateway.Routing;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Routing;

/// <summary>Builds routers from in-memory variables and describes resolutions in one comparable string.</summary>
internal static class RouterFixture
{
    public static ModelRouter Router(params (string Name, string Value)[] env) =>
        ModelRouter.Build(TestVariables.Settings(env), out _, out _);

    public static (ModelRouter Router, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings) Build(params (string Name, string Value)[] env)
    {
        var router = ModelRouter.Build(TestVariables.Settings(env), out var errors, out var warnings);
        return (router, errors, warnings);
    }

    /// <summary>"provider model alias" (alias "-" when none), or "error: message".</summary>
    public static string Resolve(ModelRouter router, string model) =>
        router.TryResolve(model, out var route, out var error)
            ? $"{route.Provider.Name} {route.Model} {route.Alias ?? "-"}"
            : "error: " + error.Message;
}
