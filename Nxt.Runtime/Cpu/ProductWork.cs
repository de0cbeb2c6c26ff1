namespace Nxt.Cpu;

/// <summary>
/// One product's pointers and sizes (C is m×n, the inner dimension k), set per call on a
/// work object each calling thread reuses, so that dispatching it to the workers allocates nothing.
/// </summary>
internal abstract unsafe class ProductWork : IParallelWork
{
    protected float* A { get; private set; }

    protected float* B { get; private set; }

    protected float* C { get; private set; }

    protected int M { get; private set; }

    protected int N { get; private set; }

    protected int K { get; private set; }

    protected bool Accumulate { get; private set; }

    public void Set(float* a, float* b, float* c, int m, int n, int k, bool accumulate)
    {
        A = a;
        B = b;
        C = c;
        (M, N, K, Accumulate) = (m, n, k, accumulate);
    }

    /// <summary>Drops the pointers once the call is done, so no later call can reach freed or moved memory.</summary>
    public void Clear() => A = B = C = null;

    public abstract void Run(int part, int partCount);
}
