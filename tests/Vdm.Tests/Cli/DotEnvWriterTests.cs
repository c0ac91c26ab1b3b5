using Vdm.Cli;
using Vdm.Gateway.Configuration;

namespace Vdm.Tests.Cli;

public class DotEnvWriterTests
{
    [Test]
    [Arguments("sk-proj-abc_123", "sk-proj-abc_123")]
    [Arguments("", "")]
    [Arguments("!PASSTHRU", "!PASSTHRU")]
    [Arguments("https://api.example.com/v1", "https://api.example.com/v1")]
    [Arguments("sk-1 sk-2", "'sk-1 sk-2'")]
    [Arguments("a#b", "'a#b'")]
    [Arguments("$HOME", "'$HOME'")]
    [Arguments("back\\slash", "'back\\slash'")]
    [Arguments("it's", "\"it's\"")]
    [Arguments("say \"hi\" $x \\ 'y'", "\"say \\\"hi\\\" \\$x \\\\ 'y'\"")]
    [Arguments("two\nlines", "\"two\\nlines\"")]
    public async Task Quote_Value_IsWrittenAsExpected(string value, string expected)
    {
        await Assert.That(DotEnvWriter.Quote(value)).IsEqualTo(expected);
    }

    [Test]
    [Arguments("plain")]
    [Arguments("")]
    [Arguments(" leading and trailing ")]
    [Arguments("#starts-with-hash")]
    [Arguments("a #comment-like")]
    [Arguments("'single'")]
    [Arguments("\"double\"")]
    [Arguments("mixed ' and \" quotes")]
    [Arguments("tab\there")]
    [Arguments("cr\r\nlf\nend\n")]
    [Arguments("\\n is not a newline")]
    [Arguments("trailing backslash\\")]
    [Arguments("${HOME} `cmd` $(cmd)")]
    [Arguments("ünïcödé ключ")]
    [Arguments("=starts-with-equals")]
    public async Task Render_ThenParse_GivesTheSameValue(string value)
    {
        var text = DotEnvWriter.Render(["header"], [new DotEnvSection("values", [new("FIRST", value), new("SECOND", "after")])]);

        var parsed = DotEnvFile.Parse(text, "test");

        await Assert.That(parsed.Problems).IsEmpty();
        await Assert.That(parsed.Values["FIRST"]).IsEqualTo(value);
        await Assert.That(parsed.Values["SECOND"]).IsEqualTo("after");
    }

    [Test]
    public async Task Render_HeaderAndSections_AreCommentedAndSeparatedByBlankLines()
    {
        var text = DotEnvWriter.Render(["one", "two"],
        [
            new DotEnvSection("first", [new("A", "1"), new("B", "x y")]),
            new DotEnvSection("second", [new("C", "")]),
        ]);

        await Assert.That(text).IsEqualTo("# one\n# two\n\n# first\nA=1\nB='x y'\n\n# second\nC=\n");
    }

    [Test]
    [Arguments("1ABC")]
    [Arguments("MY-VAR")]
    [Arguments("")]
    public async Task Assignment_NameTheParserWouldRefuse_Throws(string name)
    {
        await Assert.That(() => DotEnvWriter.Assignment(name, "x")).Throws<ArgumentException>();
    }

    [Test]
    public async Task WriteAtomically_NewFile_HasTheTextAndNoTemporaryFileIsLeft()
    {
        var directory = Directory.CreateTempSubdirectory("vdm-writer-");
        try
        {
            var path = Path.Combine(directory.FullName, ".env");

            DotEnvWriter.WriteAtomically(path, "A=1\n", overwrite: false);

            await Assert.That(File.ReadAllText(path)).IsEqualTo("A=1\n");
            await Assert.That(Directory.GetFiles(directory.FullName)).IsEquivalentTo([path]);
            if (!OperatingSystem.IsWindows())
            {
                await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public async Task WriteAtomically_ExistingFileWithoutOverwrite_ThrowsAndKeepsIt()
    {
        var directory = Directory.CreateTempSubdirectory("vdm-writer-");
        try
        {
            var path = Path.Combine(directory.FullName, ".env");
            File.WriteAllText(path, "OLD=1\n");

            await Assert.That(() => DotEnvWriter.WriteAtomically(path, "NEW=1\n", overwrite: false)).Throws<IOException>();

            await Assert.That(File.ReadAllText(path)).IsEqualTo("OLD=1\n");
            await Assert.That(Directory.GetFiles(directory.FullName)).IsEquivalentTo([path]);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Test]
    public async Task WriteAtomically_ExistingFileWithOverwrite_IsReplacedAndMadePrivate()
    {
        var directory = Directory.CreateTempSubdirectory("vdm-writer-");
        try
        {
            var path = Path.Combine(directory.FullName, ".env");
            File.WriteAllText(path, "OLD=1\n");

            DotEnvWriter.WriteAtomically(path, "NEW=1\n", overwrite: true);

            await Assert.That(File.ReadAllText(path)).IsEqualTo("NEW=1\n");
            if (!OperatingSystem.IsWindows())
            {
                await Assert.That(File.GetUnixFileMode(path)).IsEqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
