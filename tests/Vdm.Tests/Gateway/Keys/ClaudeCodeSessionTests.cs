using Vdm.Gateway.Keys;

namespace Vdm.Tests.Gateway.Keys;

public class ClaudeCodeSessionTests
{
    private const string UserId =
        "user_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef_account_11111111-2222-3333-4444-555555555555_session_aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";

    [Test]
    public async Task Id_Header_WinsOverMetadata()
    {
        var id = ClaudeCodeSession.Id("  hdr-session ", UserId);

        await Assert.That(id).IsEqualTo("hdr-session");
    }

    [Test]
    public async Task Id_ClaudeCodeUserId_IsThePartAfterSession()
    {
        var id = ClaudeCodeSession.Id(null, UserId);

        await Assert.That(id).IsEqualTo("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    }

    [Test]
    public async Task Id_BlankHeader_FallsBackToMetadata()
    {
        var id = ClaudeCodeSession.Id(" ", UserId);

        await Assert.That(id).IsEqualTo("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
    }

    [Test]
    public async Task Id_JsonUserId_IsItsSessionIdMember()
    {
        var id = ClaudeCodeSession.Id(null, """{"device_id":"d1","nested":{"session_id":"no"},"session_id":"s-42"}""");

        await Assert.That(id).IsEqualTo("s-42");
    }

    [Test]
    [Arguments(null)]
    [Arguments("")]
    [Arguments("user_abc")]
    [Arguments("user_abc_account_x_session_")]
    [Arguments("{\"device_id\":\"d1\"}")]
    [Arguments("{not json")]
    [Arguments("{\"session_id\":42}")]
    [Arguments("{\"session_id\":\"\\ud800\"}")]
    public async Task Id_NoSessionInUserId_IsNull(string? userId)
    {
        var id = ClaudeCodeSession.Id(null, userId);

        await Assert.That(id).IsNull();
    }
}
