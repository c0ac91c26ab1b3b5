using Vdm.Gateway.Configuration;
using Vdm.Tests.TestSupport;

namespace Vdm.Tests.Gateway.Configuration;

public class LayeredVariablesTests
{
    private static LayeredVariables Unordered() =>
        new([
            TestVariables.Layer(ConfigSourceKind.UserFile, "user", ("A", "user"), ("B", "user"), ("C", "user")),
            TestVariables.Layer(ConfigSourceKind.Environment, "env", ("A", "env")),
            TestVariables.Layer(ConfigSourceKind.ProjectFile, "project", ("A", "project"), ("B", "project")),
            TestVariables.Layer(ConfigSourceKind.Flag, "flag", ("Z", "flag")),
        ]);

    [Test]
    public async Task Layers_GivenInAnyOrder_AreSortedByPrecedence()
    {
        var variables = Unordered();

        await Assert.That(string.Join(",", variables.Layers.Select(layer => layer.Label))).IsEqualTo("flag,env,project,user");
    }

    [Test]
    [Arguments("A", "env")]
    [Arguments("B", "project")]
    [Arguments("C", "user")]
    [Arguments("Z", "flag")]
    public async Task TryGet_NameSetInSeveralLayers_ReturnsTheHighestOne(string name, string expected)
    {
        var variables = Unordered();

        var found = variables.TryGet(name, out var value);

        await Assert.That(found).IsTrue();
        await Assert.That(value.Value).IsEqualTo(expected);
        await Assert.That(value.Source.Label).IsEqualTo(expected);
    }

    [Test]
    public async Task TryGet_UnsetName_IsFalse()
    {
        var variables = Unordered();

        var found = variables.TryGet("NOPE", out _);

        await Assert.That(found).IsFalse();
    }

    [Test]
    public async Task TryGet_NameInOtherCase_IsNotFound()
    {
        var variables = Unordered();

        var found = variables.TryGet("a", out _);

        await Assert.That(found).IsFalse();
    }

    [Test]
    public async Task AllValues_Name_ListsEveryLayersValueHighestFirst()
    {
        var variables = Unordered();

        var values = variables.AllValues("A").Select(value => value.Value).ToList();

        await Assert.That(string.Join(",", values)).IsEqualTo("env,project,user");
    }

    [Test]
    public async Task Names_AreDistinctAndInOrdinalOrder()
    {
        var variables = Unordered();

        await Assert.That(string.Join(",", variables.Names)).IsEqualTo("A,B,C,Z");
    }
}
