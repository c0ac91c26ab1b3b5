using Vdm.Gateway.Configuration;

namespace Vdm.Tests.Gateway.Configuration;

public class DotEnvFileTests
{
    private static IReadOnlyDictionary<string, string> Values(string text)
    {
        var result = DotEnvFile.Parse(text, "./.env");
        if (result.Problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("; ", result.Problems));
        }

        return result.Values;
    }

    [Test]
    public async Task Parse_PlainAssignment_ReadsNameAndValue()
    {
        var values = Values("OPENAI_API_KEY=sk-123\n");

        await Assert.That(values["OPENAI_API_KEY"]).IsEqualTo("sk-123");
    }

    [Test]
    public async Task Parse_CommentsAndBlankLines_AreIgnored()
    {
        var values = Values("# a comment\n\n   \n  # indented comment\nPORT=9000\n");

        await Assert.That(values.Count).IsEqualTo(1);
        await Assert.That(values["PORT"]).IsEqualTo("9000");
    }

    [Test]
    public async Task Parse_ExportPrefix_IsDropped()
    {
        var values = Values("export HOST=0.0.0.0\nexport\tPORT=1\n");

        await Assert.That(values["HOST"]).IsEqualTo("0.0.0.0");
        await Assert.That(values["PORT"]).IsEqualTo("1");
    }

    [Test]
    public async Task Parse_SpacesAroundEquals_AreTrimmed()
    {
        var values = Values("PORT = 9000  \n");

        await Assert.That(values["PORT"]).IsEqualTo("9000");
    }

    [Test]
    public async Task Parse_SingleQuotes_KeepEverythingLiterally()
    {
        var values = Values("KEY='a \\n # b \"c\"'\n");

        await Assert.That(values["KEY"]).IsEqualTo("a \\n # b \"c\"");
    }

    [Test]
    public async Task Parse_DoubleQuotes_ApplyEscapes()
    {
        var values = Values("KEY=\"line1\\nline2\\t\\\"q\\\" \\\\ \\$HOME\"\n");

        await Assert.That(values["KEY"]).IsEqualTo("line1\nline2\t\"q\" \\ $HOME");
    }

    [Test]
    public async Task Parse_DoubleQuotesWithUnknownEscape_KeepTheBackslash()
    {
        var values = Values("KEY=\"C:\\path\"\n");

        await Assert.That(values["KEY"]).IsEqualTo("C:\\path");
    }

    [Test]
    public async Task Parse_QuotedValueOverSeveralLines_JoinsThemWithNewlines()
    {
        var values = Values("CERT=\"-----BEGIN-----\nabc\n-----END-----\"\nNEXT=1\n");

        await Assert.That(values["CERT"]).IsEqualTo("-----BEGIN-----\nabc\n-----END-----");
        await Assert.That(values["NEXT"]).IsEqualTo("1");
    }

    [Test]
    public async Task Parse_InlineCommentAfterUnquotedValue_IsStripped()
    {
        var values = Values("LOG_LEVEL=DEBUG   # noisy\n");

        await Assert.That(values["LOG_LEVEL"]).IsEqualTo("DEBUG");
    }

    [Test]
    public async Task Parse_HashInsideUnquotedValue_IsKept()
    {
        var values = Values("KEY=abc#def\n");

        await Assert.That(values["KEY"]).IsEqualTo("abc#def");
    }

    [Test]
    public async Task Parse_CommentAfterQuotedValue_IsStripped()
    {
        var values = Values("KEY=\"a # b\" # the real comment\n");

        await Assert.That(values["KEY"]).IsEqualTo("a # b");
    }

    [Test]
    public async Task Parse_EmptyValue_IsAnEmptyString()
    {
        var values = Values("OLLAMA_API_KEY=\nOTHER=''\nTHIRD=\"\"\nFOURTH= # only a comment\n");

        await Assert.That(values["OLLAMA_API_KEY"]).IsEqualTo("");
        await Assert.That(values["OTHER"]).IsEqualTo("");
        await Assert.That(values["THIRD"]).IsEqualTo("");
        await Assert.That(values["FOURTH"]).IsEqualTo("");
    }

    [Test]
    public async Task Parse_WindowsLineEndingsAndByteOrderMark_AreAccepted()
    {
        var values = Values("\uFEFFA=1\r\nB=\"two\"\r\n");

        await Assert.That(values["A"]).IsEqualTo("1");
        await Assert.That(values["B"]).IsEqualTo("two");
    }

    [Test]
    public async Task Parse_RepeatedName_LastAssignmentWins()
    {
        var values = Values("PORT=1\nPORT=2\n");

        await Assert.That(values["PORT"]).IsEqualTo("2");
    }

    [Test]
    public async Task Parse_ValueWithEqualsSign_KeepsEverythingAfterTheFirst()
    {
        var values = Values("CUSTOM_HEADER_X=a=b=c\n");

        await Assert.That(values["CUSTOM_HEADER_X"]).IsEqualTo("a=b=c");
    }

    [Test]
    public async Task Parse_LineWithoutEquals_IsAProblemNamingTheLine()
    {
        var result = DotEnvFile.Parse("A=1\njust words\n", "./.env");

        await Assert.That(result.Problems).IsEquivalentTo(["./.env:2: expected NAME=VALUE"]);
        await Assert.That(result.Values["A"]).IsEqualTo("1");
    }

    [Test]
    public async Task Parse_InvalidName_IsAProblem()
    {
        var result = DotEnvFile.Parse("1ABC=x\nA-B=y\n", "f");

        await Assert.That(result.Problems.Count).IsEqualTo(2);
        await Assert.That(result.Problems[0]).StartsWith("f:1: '1ABC' is not a valid variable name");
    }

    [Test]
    public async Task Parse_UnterminatedQuote_IsAProblemThatDoesNotEchoTheValue()
    {
        var result = DotEnvFile.Parse("OPENAI_API_KEY=\"sk-secret\n", "./.env");

        await Assert.That(result.Problems).IsEquivalentTo(["./.env:1: OPENAI_API_KEY: missing closing \" quote"]);
        await Assert.That(result.Values.ContainsKey("OPENAI_API_KEY")).IsFalse();
    }

    [Test]
    public async Task Parse_TextAfterClosingQuote_IsAProblem()
    {
        var result = DotEnvFile.Parse("KEY='a' b\n", "./.env");

        await Assert.That(result.Problems).IsEquivalentTo(["./.env:1: KEY: unexpected text after the closing quote"]);
    }
}
