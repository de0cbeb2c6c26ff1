using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nxt.Cpu;

// Channels are independent in both passes (each has its own statistics, scale and parameter
// gradients), so the CPU workers take a range of channels each: a channel's planes are read for
// its statistics and read again for the normalisation while they are still in the shared cache,
// and no two cores ever write the same line.
public static unsafe partial class BatchNormKernels
{
    [ThreadStatic]
    private static BatchNormWork? t_work;

    /// <summary>What <see cref="Backward"/> computes and whether it adds.</summary>
    internal readonly record struct BackwardFlags(
        bool FixGamma, bool UsedBatchStats, bool InputGradient, bool AccumulateInput,
        bool GammaGradient, bool AccumulateGamma, bool BetaGradient, bool AccumulateBeta);

    // Below this many values a second core costs more than it saves (as for pooling).
    private static int Parts(int batch, int channels, int spatial)
        => (long)batch * channels * spatial < 32768 ? 1 : Math.Min(CpuWorkers.Parallelism, channels);

    internal static void ForwardInParts(
        ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> movingMean, Span<float> movingVar, Span<float> saved,
        int batch, int channels, int spatial, float eps, float momentum, bool fixGamma, bool useBatchStats,
        ReadOnlySpan<float> residual, Epilogue epilogue, int parts)
    {
        long values = (long)batch * channels * spatial;
        if (x.Length < values || y.Length < values || (!residual.IsEmpty && residual.Length < values) || saved.Length < 2 * channels
            || movingMean.Length < channels || movingVar.Length < channels || beta.Length < channels || (!fixGamma && gamma.Length < channels))
        {
            throw new ArgumentException($"BatchNorm over ({batch}, {channels}, {spatial}) needs {values} inputs and outputs and {channels} of each parameter; got x {x.Length}, y {y.Length}, residual {residual.Length}, gamma {gamma.Length}, beta {beta.Length}, moving {movingMean.Length}/{movingVar.Length}, saved {saved.Length}.");
        }

        fixed (float* px = x)
        fixed (float* py = y)
        fixed (float* pGamma = gamma)
        fixed (float* pBeta = beta)
        fixed (float* pMovingMean = movingMean)
        fixed (float* pMovingVar = movingVar)
        fixed (float* pSaved = saved)
        fixed (float* pResidual = residual)
        {
            var work = t_work ??= new BatchNormWork();
            work.SetForward(px, py, pGamma, pBeta, pMovingMean, pMovingVar, pSaved, pResidual, batch, channels, spatial, eps, momentum, fixGamma, useBatchStats, epilogue);
            CpuWorkers.Run(work, parts);
            work.Clear();
        }
    }

    internal static void BackwardInParts(
        ReadOnlySpan<float> x, ReadOnlySpan<float> dy, ReadOnlySpan<float> gamma, ReadOnlySpan<float> saved,
        Span<float> dx, Span<float> dGamma, Span<float> dBeta, int batch, int channels, int spatial, BackwardFlags flags, int parts)
    {
        long values = (long)batch * channels * spatial;
        if (x.Length < values || dy.Length < values || (flags.InputGradient && dx.Length < values) || saved.Length < 2 * channels
            || (flags.GammaGradient && dGamma.Length < channels) || (flags.BetaGradient && dBeta.Length < channels) || (!flags.FixGamma && gamma.Length < channels))
        {
            throw new ArgumentException($"BatchNorm's backward over ({batch}, {channels}, {spatial}) needs {values} values of x, dy and dx and {channels} of each parameter; got x {x.Length}, dy {dy.Length}, dx {dx.Length}, gamma {gamma.Length}, dgamma {dGamma.Length}, dbeta {dBeta.Length}, saved {saved.Length}.");
        }

        fixed (float* px = x)
        fixed (float* pdy = dy)
        fixed (float* pGamma = gamma)
        fixed (float* pSaved = saved)
        fixed (float* pdx = dx)
        fixed (float* pdGamma = dGamma)
        fixed (float* pdBeta = dBeta)
        {
            var work = t_work ??= new BatchNormWork();
            work.SetBackward(px, pdy, pGamma, pSaved, pdx, pdGamma, pdBeta, batch, channels, spatial, flags);
            CpuWorkers.Run(work, parts);
            work.Clear();
        }
    }

    // The batch statistics of channel c (two vectorised passes: the mean, then the squared
    // deviations around it), then each of its planes normalised and passed through the epilogue.
    private static void ForwardChannel(
        ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> movingMean, Span<float> movingVar, Span<float> saved, ReadOnlySpan<float> residual,
        int c, int batch, int channels, int spatial, float eps, float momentum, bool fixGamma, bool useBatchStats, Epilogue epilogue)
    {
        float mean, invStd;
        if (useBatchStats)
        {
            int count = batch * spatial;
            double sum = 0;
            for (int n = 0; n < batch; n++)
            {
                sum += x.Slice(((n * channels) + c) * spatial, spatial).Sum();
            }

            mean = (float)(sum / count);
            double squares = 0;
            for (int n = 0; n < batch; n++)
            {
                squares += x.Slice(((n * channels) + c) * spatial, spatial).SumOfSquaredDeviations(mean);
            }

            double variance = squares / count;
            invStd = (float)(1 / Math.Sqrt(variance + eps));
            movingMean[c] = (movingMean[c] * momentum) + (mean * (1 - momentum));
            movingVar[c] = (movingVar[c] * momentum) + ((float)variance * (1 - momentum));
        }
        else
        {
            mean = movingMean[c];
            invStd = 1f / MathF.Sqrt(movingVar[c] + eps);
        }

        saved[c] = mean;
        saved[channels + c] = invStd;
        float scale = (fixGamma ? 1f : gamma[c]) * invStd;
        float shift = beta[c] - (mean * scale);
        for (int n = 0; n < batch; n++)
        {
            int offset = ((n * channels) + c) * spatial;
            epilogue.ApplyScaled(x.Slice(offset, spatial), y.Slice(offset, spatial), scale, shift, residual.IsEmpty ? default : residual.Slice(offset, spatial));
        }
    }

    private static void BackwardChannel(
        ReadOnlySpan<float> x, ReadOnlySpan<float> dy, ReadOnlySpan<float> gamma, ReadOnlySpan<float> saved,
        Span<float> dx, Span<float> dGamma, Span<float> dBeta, int c, int batch, int channels, int spatial, in BackwardFlags flags)
    {
        float mean = saved[c], invStd = saved[channels + c];
        double sumDy = 0, sumDyXhat = 0;
        for (int n = 0; n < batch; n++)
        {
            int offset = ((n * channels) + c) * spatial;
            var g = dy.Slice(offset, spatial);
            sumDy += g.Sum();
            sumDyXhat += g.DotWithDeviations(x.Slice(offset, spatial), mean) * invStd;
        }

        if (flags.GammaGradient)
        {
            float gammaGrad = flags.FixGamma ? 0f : (float)sumDyXhat;
            dGamma[c] = flags.AccumulateGamma ? dGamma[c] + gammaGrad : gammaGrad;
        }

        if (flags.BetaGradient)
        {
            dBeta[c] = flags.AccumulateBeta ? dBeta[c] + (float)sumDy : (float)sumDy;
        }

        if (!flags.InputGradient)
        {
            return;
        }

        int count = batch * spatial;
        float scale = (flags.FixGamma ? 1f : gamma[c]) * invStd;
        float meanDy = flags.UsedBatchStats ? (float)(sumDy / count) : 0f;
        float meanDyXhat = flags.UsedBatchStats ? (float)(sumDyXhat / count) : 0f;
        for (int n = 0; n < batch; n++)
        {
            int offset = ((n * channels) + c) * spatial;
            InputGradientPlane(x.Slice(offset, spatial), dy.Slice(offset, spatial), dx.Slice(offset, spatial), mean, invStd, scale, meanDy, meanDyXhat, flags.AccumulateInput);
        }
    }

    // dx (+)= scale · (dy - mean(dy) - x̂ · mean(dy · x̂)), x̂ = (x - mean) · invStd, vectorised.
    private static void InputGradientPlane(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, float mean, float invStd, float scale, float meanDy, float meanDyXhat, bool accumulate)
    {
        var vx = MemoryMarshal.Cast<float, Vector<float>>(x);
        var vdy = MemoryMarshal.Cast<float, Vector<float>>(dy);
        var vdx = MemoryMarshal.Cast<float, Vector<float>>(dx);
        var (vMean, vInvStd, vScale, vMeanDy, vMeanDyXhat) = (new Vector<float>(mean), new Vector<float>(invStd), new Vector<float>(scale), new Vector<float>(meanDy), new Vector<float>(meanDyXhat));
        for (int i = 0; i < vx.Length; i++)
        {
            var xhat = (vx[i] - vMean) * vInvStd;
            var g = vScale * (vdy[i] - vMeanDy - (xhat * vMeanDyXhat));
            vdx[i] = accumulate ? vdx[i] + g : g;
        }

        for (int i = vx.Length * Vector<float>.Count; i < x.Length; i++)
        {
            float xhat = (x[i] - mean) * invStd;
            float g = scale * (dy[i] - meanDy - (xhat * meanDyXhat));
            dx[i] = accumulate ? dx[i] + g : g;
        }
    }

    // One pass of one BatchNorm over the workers: part p takes channels [c·p/parts, c·(p+1)/parts).
    private sealed class BatchNormWork : IParallelWork
    {
        private bool _forward;
        private float* _x, _y, _gamma, _beta, _movingMean, _movingVar, _saved, _residual, _dy, _dx, _dGamma, _dBeta;
        private int _batch, _channels, _spatial;
        private float _eps, _momentum;
        private bool _fixGamma, _useBatchStats;
        private Epilogue _epilogue;
        private BackwardFlags _flags;

        public void SetForward(float* x, float* y, float* gamma, float* beta, float* movingMean, float* movingVar, float* saved, float* residual,
            int batch, int channels, int spatial, float eps, float momentum, bool fixGamma, bool useBatchStats, Epilogue epilogue)
        {
            _x = x;
            _y = y;
            _gamma = gamma;
            _beta = beta;
            _movingMean = movingMean;
            _movingVar = movingVar;
            _saved = saved;
            _residual = residual;
            (_forward, _batch, _channels, _spatial, _eps, _momentum, _fixGamma, _useBatchStats, _epilogue) = (true, batch, channels, spatial, eps, momentum, fixGamma, useBatchStats, epilogue);
        }

        public void SetBackward(float* x, float* dy, float* gamma, float* saved, float* dx, float* dGamma, float* dBeta,
            int batch, int channels, int spatial, in BackwardFlags flags)
        {
            _x = x;
            _dy = dy;
            _gamma = gamma;
            _saved = saved;
            _dx = dx;
            _dGamma = dGamma;
            _dBeta = dBeta;
            (_forward, _batch, _channels, _spatial, _flags, _fixGamma) = (false, batch, channels, spatial, flags, flags.FixGamma);
        }

        public void Clear() => _x = _y = _gamma = _beta = _movingMean = _movingVar = _saved = _residual = _dy = _dx = _dGamma = _dBeta = null;

        public void Run(int part, int partCount)
        {
            int values = _batch * _channels * _spatial, channels = _channels;
            var (first, last) = CpuWorkers.PartRange(channels, 1, part, partCount);
            var x = Values(_x, values);
            var saved = Values(_saved, 2 * channels);
            var gamma = Values(_fixGamma ? null : _gamma, channels);
            if (_forward)
            {
                Span<float> y = Values(_y, values), beta = Values(_beta, channels), residual = Values(_residual, values);
                Span<float> movingMean = Values(_movingMean, channels), movingVar = Values(_movingVar, channels);
                for (int c = first; c < last; c++)
                {
                    ForwardChannel(x, y, gamma, beta, movingMean, movingVar, saved, residual, c, _batch, channels, _spatial, _eps, _momentum, _fixGamma, _useBatchStats, _epilogue);
                }

                return;
            }

            Span<float> dy = Values(_dy, values), dx = Values(_dx, values), dGamma = Values(_dGamma, channels), dBeta = Values(_dBeta, channels);
            for (int c = first; c < last; c++)
            {
                BackwardChannel(x, dy, gamma, saved, dx, dGamma, dBeta, c, _batch, channels, _spatial, _flags);
            }
        }

        // A buffer the caller left out (no residual, no dx wanted, a fixed gamma) is an empty span.
        private static Span<float> Values(float* p, int length) => new(p, p is null ? 0 : length);
    }
}
