namespace Vdm.Gateway;

/// <summary>
/// How many owners share something that must be disposed once, by the last of them: starts at one (the creator), and
/// once it has dropped to zero no one can take a new share, so a disposed object is never handed out again.
/// </summary>
internal sealed class ReferenceCount
{
    private int _count = 1;

    /// <summary>Takes a share; false when the last share was already released.</summary>
    public bool TryRetain()
    {
        var current = Volatile.Read(ref _count);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _count, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    /// <summary>
    /// Gives a share back; true for the last one, whose owner then disposes. Releasing after that returns false, so a
    /// second <c>Dispose</c> stays harmless, as disposal should.
    /// </summary>
    public bool Release() => Interlocked.Decrement(ref _count) == 0;
}
