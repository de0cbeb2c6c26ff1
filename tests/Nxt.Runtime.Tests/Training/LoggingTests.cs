using Microsoft.Extensions.Logging;
using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Training;

public class LoggingTests
{
    [Fact]
    public void Fit_and_Speedometer_log_through_an_ILogger_when_given_one()
    {
        var logger = new CapturingLogger();
        var writer = new StringWriter();
        var iter = new NDArrayIter(new Tensor(TestData.Random(32 * 6, 1), 32, 6), new Tensor(new float[32], 32), 4);
        using var net = new TinyMlp();
        net.Fit(iter, numEpoch: 1, optimizer: new Sgd(0.1f), log: writer, logger: logger,
            batchEndCallback: new Speedometer(4, frequent: 2, logger: logger).OnBatchEnd);

        Assert.Contains(logger.Lines, l => l.Level == LogLevel.Information && l.Text.StartsWith("Epoch[0] Train-accuracy=", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Text.StartsWith("Epoch[0] Time cost=", StringComparison.Ordinal));
        Assert.Contains(logger.Lines, l => l.Text.StartsWith("Epoch[0] Batch [2]", StringComparison.Ordinal));
        Assert.Equal(string.Empty, writer.ToString());
    }

    private sealed class CapturingLogger : ILogger
    {
        public List<(LogLevel Level, string Text)> Lines { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => Lines.Add((logLevel, formatter(state, exception)));
    }
}
