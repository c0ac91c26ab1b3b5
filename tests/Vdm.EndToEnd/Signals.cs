namespace Vdm.EndToEnd;

/// <summary>POSIX signal numbers (the same on Linux and macOS for these three).</summary>
internal static class Signals
{
    public const int Interrupt = 2;
    public const int Quit = 3;
    public const int Terminate = 15;
}
