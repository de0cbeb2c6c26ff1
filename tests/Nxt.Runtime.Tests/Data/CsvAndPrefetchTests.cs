using Nxt.Runtime.Tests.Networks;

namespace Nxt.Runtime.Tests.Data;

public class CsvAndPrefetchTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("nxt-csv-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Write(string name, params string[] lines)
    {
        string path = Path.Combine(_folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    [Fact]
    public void Csv_samples_and_labels_become_batches()
    {
        var iter = new CsvIter(Write("x.csv", "1,2,3,4", "5,6,7,8", "", "9,10,11,12"), [2, 2], Write("y.csv", "0", "1", "2"), batchSize: 2);
        Assert.Equal(3, iter.SampleCount);
        Assert.True(iter.MoveNext());
        Assert.Equal([2, 2, 2], iter.Current.Data.Shape.ToArray());
        Assert.Equal([1f, 2, 3, 4, 5, 6, 7, 8], iter.Current.Data.ToArray());
        Assert.True(iter.MoveNext());
        Assert.Equal(1, iter.Current.Pad);
        Assert.Equal([2f, 0f], iter.Current.Label!.ToArray());
    }

    [Fact]
    public void Csv_errors_name_the_file_and_line()
    {
        string data = Write("bad.csv", "1,2,3,4", "5,6,7");
        var ex = Assert.Throws<InvalidDataException>(() => new CsvIter(data, [4], null, 2));
        Assert.Contains("line 2", ex.Message);
        Assert.Contains("3 values", ex.Message);
        ex = Assert.Throws<InvalidDataException>(() => new CsvIter(Write("nan.csv", "1,x"), [2], null, 1));
        Assert.Contains("'x'", ex.Message);
        ex = Assert.Throws<InvalidDataException>(() => new CsvIter(Write("ok.csv", "1,2", "3,4"), [2], Write("few.csv", "1"), 1));
        Assert.Contains("2 samples", ex.Message);
    }

    private static NDArrayIter Inner(bool shuffle = true) => new(
        new Tensor(Enumerable.Range(0, 50 * 6).Select(i => (float)i).ToArray(), 50, 6),
        new Tensor(Enumerable.Range(0, 50).Select(i => (float)(i % 3)).ToArray(), 50),
        8,
        shuffle,
        seed: 3);

    [Fact]
    public void Prefetching_gives_the_same_batches_in_the_same_order_epoch_after_epoch()
    {
        var direct = Inner();
        using var prefetched = new PrefetchingIter(Inner());
        for (int epoch = 0; epoch < 3; epoch++)
        {
            while (direct.MoveNext())
            {
                Assert.True(prefetched.MoveNext());
                Assert.Equal(direct.Current.Data.ToArray(), prefetched.Current.Data.ToArray());
                Assert.Equal(direct.Current.Label!.ToArray(), prefetched.Current.Label!.ToArray());
                Assert.Equal(direct.Current.Pad, prefetched.Current.Pad);
            }

            Assert.False(prefetched.MoveNext());
            direct.Reset();
            prefetched.Reset();
        }
    }

    [Fact]
    public void Training_through_prefetching_matches_training_without()
    {
        using var a = new TinyMlp { Seed = 4 };
        using var b = new TinyMlp { Seed = 4 };
        a.Fit(Inner(), numEpoch: 3, optimizer: new Sgd(0.01f), log: TextWriter.Null);
        using var prefetched = new PrefetchingIter(Inner());
        b.Fit(prefetched, numEpoch: 3, optimizer: new Sgd(0.01f), log: TextWriter.Null);
        Assert.Equal(a.GetParams().ArgParams["fc1_weight"].ToArray(), b.GetParams().ArgParams["fc1_weight"].ToArray());
    }

    [Fact]
    public void An_inner_failure_surfaces_in_MoveNext()
    {
        using var prefetched = new PrefetchingIter(new FailingIter());
        var ex = Assert.Throws<InvalidOperationException>(() => prefetched.MoveNext());
        Assert.Equal("disk gone", ex.Message);
    }

    private sealed class FailingIter : DataIter
    {
        public override int BatchSize => 1;

        public override IReadOnlyList<int> SampleShape => [1];

        public override DataBatch Current => throw new InvalidOperationException("no batch");

        public override bool MoveNext() => throw new InvalidOperationException("disk gone");

        public override void Reset()
        {
        }
    }
}
