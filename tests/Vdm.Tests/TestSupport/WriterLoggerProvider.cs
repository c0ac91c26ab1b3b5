using Microsoft.Extensions.Logging;

namespace Vdm.Tests.TestSupport;

/// <summary>Logs one line per message (<c>warn: Category[40] message</c>) into a writer a test can wait on.</summary>
internal sealed class WriterLoggerProvider(TextWriter writer) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new WriterLogger(writer, categoryName);

    public void Dispose()
    {
    }

    private sealed class WriterLogger(TextWriter writer, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var level = logLevel switch
            {
                LogLevel.Warning => "warn",
                LogLevel.Information => "info",
                LogLevel.Error => "fail",
                _ => logLevel.ToString().ToLowerInvariant(),
            };
            lock (writer)
            {
                writer.WriteLine($"{level}: {category}[{eventId.Id}] {formatter(state, exception)}");
            }
        }
    }
}
