using System;

namespace Nxt.Cpu;

// BatchNorm over the CPU workers, split by samples when the batch has one for every worker and its
// values fit a cache (the convolutions and poolings around it split by samples too, so each core
// reads and writes the planes it wrote itself in the layer before, and only the per-plane sums
// cross between cores), else by channels (one large image; or a tensor in memory, where a
// channel's planes are read for its statistics and again for the normalisation while still in
// cache, where the passes over samples would read the whole tensor three times). Both splits give
// the same bits (see BatchNormKernels.Planes.cs).
public static unsafe partial class BatchNormKernels
{
    [ThreadStatic]
    private static BatchNormWork? t_work;

    /// <summary>What <see cref="Backward"/> computes and whether it adds.</summary>
    internal readonly record struct BackwardFlags(
        bool FixGamma, bool UsedBatchStats, bool InputGradient, bool AccumulateInput,
        bool GammaGradient, bool AccumulateGamma, bool BetaGradient, bool AccumulateBeta);

    /// <summary>How a pass is shared out: whole samples or whole channels a part.</summary>
    internal enum Split
    {
        Samples,
        Channels,
    }

    // Below this many values a second core costs more than it saves (as for pooling).
    private static int Parts(int batch, int channels, int spatial)
        => (long)batch * channels * spatial < 32768 ? 1 : CpuWorkers.Parallelism;

    // Up to 8 MB of values the passes over samples read each other's planes from cache.
    private const long SampleSplitValues = 2L << 20;

    private static Split SplitFor(int batch, int channels, int spatial)
        => batch >= CpuWorkers.Parallelism && (long)batch * channels * spatial <= SampleSplitValues ? Split.Samples : Split.Channels;

    internal static void ForwardInParts(
        ReadOnlySpan<float> x, Span<float> y, ReadOnlySpan<float> gamma, ReadOnlySpan<float> beta,
        Span<float> movingMean, Span<float> movingVar, Span<float> saved,
        int batch, int channels, int spatial, float eps, float momentum, bool fixGamma, bool useBatchStats,
        ReadOnlySpan<float> residual, Epilogue epilogue, int parts, Split split)
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
            try
            {
                work.RunForward(parts, split);
            }
            finally
            {
                work.Clear();
            }
        }
    }

    internal static void BackwardInParts(
        ReadOnlySpan<float> x, ReadOnlySpan<float> dy, ReadOnlySpan<float> gamma, ReadOnlySpan<float> saved,
        Span<float> dx, Span<float> dGamma, Span<float> dBeta, int batch, int channels, int spatial, BackwardFlags flags, int parts, Split split)
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
            try
            {
                work.RunBackward(parts, split);
            }
            finally
            {
                work.Clear();
            }
        }
    }

    /// <summary>One BatchNorm call's buffers and its per-plane and per-channel scratch, reused per calling thread.</summary>
    private sealed partial class BatchNormWork : IParallelWork
    {
        private float* _x, _y, _gamma, _beta, _movingMean, _movingVar, _saved, _residual, _dy, _dx, _dGamma, _dBeta;
        private int _batch, _channels, _spatial;
        private float _eps, _momentum;
        private bool _fixGamma, _useBatchStats;
        private Epilogue _epilogue;
        private BackwardFlags _flags;
        private Pass _pass;

        // Per plane: its sum (or sum of squared deviations, or sum of dy), and its sum of dy · x̂.
        private float[] _planeSums = [], _planeDots = [];

        // Per channel: the normalisation's scale and shift; in the backward the scale, mean(dy) and mean(dy · x̂).
        private float[] _scale = [], _shift = [], _meanDy = [], _meanDyXhat = [];

        private enum Pass
        {
            ForwardChannels,
            BackwardChannels,
            Sums,
            SquaredDeviations,
            Normalisation,
            GradientSums,
            InputGradients,
        }

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
            (_batch, _channels, _spatial, _eps, _momentum, _fixGamma, _useBatchStats, _epilogue) = (batch, channels, spatial, eps, momentum, fixGamma, useBatchStats, epilogue);
            Reserve(batch, channels);
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
            (_batch, _channels, _spatial, _flags, _fixGamma) = (batch, channels, spatial, flags, flags.FixGamma);
            Reserve(batch, channels);
        }

        public void Clear() => _x = _y = _gamma = _beta = _movingMean = _movingVar = _saved = _residual = _dy = _dx = _dGamma = _dBeta = null;

        // The statistics over samples, then the normalisation; or every pass of a range of channels in one part each.
        public void RunForward(int parts, Split split)
        {
            if (split == Split.Channels || parts <= 1)
            {
                RunPass(Pass.ForwardChannels, Math.Min(parts, _channels));
                return;
            }

            parts = Math.Min(parts, _batch);
            if (_useBatchStats)
            {
                RunPass(Pass.Sums, parts);
                for (int c = 0; c < _channels; c++)
                {
                    FinishMean(c);
                }

                RunPass(Pass.SquaredDeviations, parts);
                for (int c = 0; c < _channels; c++)
                {
                    FinishVariance(c);
                }
            }
            else
            {
                for (int c = 0; c < _channels; c++)
                {
                    UseMovingStatistics(c);
                }
            }

            RunPass(Pass.Normalisation, parts);
        }

        public void RunBackward(int parts, Split split)
        {
            if (split == Split.Channels || parts <= 1)
            {
                RunPass(Pass.BackwardChannels, Math.Min(parts, _channels));
                return;
            }

            parts = Math.Min(parts, _batch);
            RunPass(Pass.GradientSums, parts);
            for (int c = 0; c < _channels; c++)
            {
                FinishGradients(c);
            }

            if (_flags.InputGradient)
            {
                RunPass(Pass.InputGradients, parts);
            }
        }

        private void RunPass(Pass pass, int parts)
        {
            _pass = pass;
            CpuWorkers.Run(this, parts);
        }

        public void Run(int part, int partCount)
        {
            if (_pass is Pass.ForwardChannels or Pass.BackwardChannels)
            {
                var (first, last) = CpuWorkers.PartRange(_channels, 1, part, partCount);
                for (int c = first; c < last; c++)
                {
                    if (_pass == Pass.ForwardChannels)
                    {
                        ForwardChannel(c);
                    }
                    else
                    {
                        BackwardChannel(c);
                    }
                }

                return;
            }

            var (firstSample, lastSample) = CpuWorkers.PartRange(_batch, 1, part, partCount);
            for (int n = firstSample; n < lastSample; n++)
            {
                for (int c = 0; c < _channels; c++)
                {
                    switch (_pass)
                    {
                        case Pass.Sums:
                            SumPlane(n, c);
                            break;
                        case Pass.SquaredDeviations:
                            SumSquaredDeviations(n, c);
                            break;
                        case Pass.Normalisation:
                            Normalise(n, c);
                            break;
                        case Pass.GradientSums:
                            SumGradientPlane(n, c);
                            break;
                        default:
                            InputGradient(n, c);
                            break;
                    }
                }
            }
        }

        // Every pass of channel c, its planes still in cache from one pass to the next.
        private void ForwardChannel(int c)
        {
            if (_useBatchStats)
            {
                for (int n = 0; n < _batch; n++)
                {
                    SumPlane(n, c);
                }

                FinishMean(c);
                for (int n = 0; n < _batch; n++)
                {
                    SumSquaredDeviations(n, c);
                }

                FinishVariance(c);
            }
            else
            {
                UseMovingStatistics(c);
            }

            for (int n = 0; n < _batch; n++)
            {
                Normalise(n, c);
            }
        }

        private void BackwardChannel(int c)
        {
            for (int n = 0; n < _batch; n++)
            {
                SumGradientPlane(n, c);
            }

            FinishGradients(c);
            if (_flags.InputGradient)
            {
                for (int n = 0; n < _batch; n++)
                {
                    InputGradient(n, c);
                }
            }
        }

        // Scratch for the largest BatchNorm this thread has run: the first step of a network allocates it, later steps reuse it.
        private void Reserve(int batch, int channels)
        {
            if (_planeSums.Length < batch * channels)
            {
                _planeSums = new float[batch * channels];
                _planeDots = new float[batch * channels];
            }

            if (_scale.Length < channels)
            {
                _scale = new float[channels];
                _shift = new float[channels];
                _meanDy = new float[channels];
                _meanDyXhat = new float[channels];
            }
        }
    }
}
