using Vdm.Gateway;

namespace Vdm.Tests.Gateway;

public class GlobTests
{
    [Test]
    [Arguments(null, "anything", true)]
    [Arguments("", "anything", true)]
    [Arguments("open*", "openai", true)]
    [Arguments("open*", "OpenRouter", true)]
    [Arguments("open*", "poe", false)]
    [Arguments("gpt-?o", "gpt-4o", true)]
    [Arguments("gpt-?o", "gpt-4-o", false)]
    [Arguments("*sonnet*", "anthropic/claude-sonnet-4", true)]
    [Arguments("*a*b*c", "xaybzc", true)]
    [Arguments("*a*b*c", "xaybzcd", false)]
    [Arguments("openai, poe", "poe", true)]
    [Arguments("openai,poe", "groq", false)]
    [Arguments("exact", "exactly", false)]
    public async Task Matches_FollowsShellWildcardsCaseInsensitively(string? filter, string value, bool expected)
    {
        await Assert.That(new Glob(filter).Matches(value)).IsEqualTo(expected);
    }
}
