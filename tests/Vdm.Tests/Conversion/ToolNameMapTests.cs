using Vdm.Conversion;

namespace Vdm.Tests.Conversion;

public class ToolNameMapTests
{
    [Test]
    public async Task Create_AcceptedNames_GiveTheEmptyMap()
    {
        var map = ToolNameMap.Create(["Read", "mcp__github__create_issue", "a-b_C9"]);

        await Assert.That(map.IsEmpty).IsTrue();
        await Assert.That(map.ToUpstream("Read")).IsEqualTo("Read");
    }

    [Test]
    public async Task ToUpstream_LongName_IsShortenedTo64CharactersAndMapsBack()
    {
        var name = "mcp__a_very_long_server_name_for_testing__and_an_even_longer_tool_name_x";
        var map = ToolNameMap.Create([name]);

        var upstream = map.ToUpstream(name);

        await Assert.That(upstream.Length).IsEqualTo(64);
        await Assert.That(upstream).StartsWith(name[..55] + "_");
        await Assert.That(ToolNameMap.IsAccepted(upstream)).IsTrue();
        await Assert.That(map.ToClient(upstream)).IsEqualTo(name);
    }

    [Test]
    public async Task ToUpstream_InvalidCharacters_AreReplacedAndHashed()
    {
        var map = ToolNameMap.Create(["web.search tool"]);

        var upstream = map.ToUpstream("web.search tool");

        await Assert.That(upstream).Matches("^web_search_tool_[0-9a-f]{8}$");
        await Assert.That(map.ToClient(upstream)).IsEqualTo("web.search tool");
    }

    [Test]
    public async Task Create_SameNameOnAnotherRequest_MapsIdentically()
    {
        var first = ToolNameMap.Create(["x.y"]).ToUpstream("x.y");
        var second = ToolNameMap.Create(["other", "x.y"]).ToUpstream("x.y");

        await Assert.That(second).IsEqualTo(first);
    }

    [Test]
    public async Task Create_NamesDifferingOnlyInInvalidCharacters_StayDistinct()
    {
        var map = ToolNameMap.Create(["a.b", "a b"]);

        await Assert.That(map.ToUpstream("a.b")).IsNotEqualTo(map.ToUpstream("a b"));
    }

    [Test]
    public async Task ToUpstream_NewNameOnAnExistingMap_IsRegisteredForTheWayBack()
    {
        var map = new ToolNameMap();

        var upstream = map.ToUpstream("late.name");

        await Assert.That(map.IsEmpty).IsFalse();
        await Assert.That(map.ToClient(upstream)).IsEqualTo("late.name");
    }

    [Test]
    public async Task ToClient_UnknownName_IsReturnedUnchanged()
    {
        var map = ToolNameMap.Create(["x.y"]);

        await Assert.That(map.ToClient("Bash")).IsEqualTo("Bash");
    }
}
