using System;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Nxt.Cpu;

// The arithmetic of one BatchNorm pass, a plane (one sample's channel) or a channel at a time.
// Every statistic is a sum over the batch of per-plane sums, each plane summed in float and the
// planes added in sample order in double, wherever the planes were summed: so the work can be
// split by samples or by channels without changing a bit.
public static unsafe partial class BatchNormKernels
{
    private sealed partial class BatchNormWork
    {
        private int Plane(int n, int c) => (n * _channels) + c;

        private ReadOnlySpan<float> PlaneOf(float* values, int n, int c) => new(values + ((long)Plane(n, c) * _spatial), _spatial);

        private Span<float> WritablePlaneOf(float* values, int n, int c) => new(values + ((long)Plane(n, c) * _spatial), _spatial);

        private void SumPlane(int n, int c) => _planeSums[Plane(n, c)] = PlaneOf(_x, n, c).Sum();

        private void SumSquaredDeviations(int n, int c) => _planeSums[Plane(n, c)] = PlaneOf(_x, n, c).SumOfSquaredDeviations(_saved[c]);

        private void Normalise(int n, int c)
            => _epilogue.ApplyScaled(PlaneOf(_x, n, c), WritablePlaneOf(_y, n, c), _scale[c], _shift[c], _residual is null ? default : PlaneOf(_residual, n, c));

        // The batch's sums of dy and of dy · x̂ over one plane.
        private void SumGradientPlane(int n, int c)
        {
            var dy = PlaneOf(_dy, n, c);
            _planeSums[Plane(n, c)] = dy.Sum();
            _planeDots[Plane(n, c)] = dy.DotWithDeviations(PlaneOf(_x, n, c), _saved[c]) * _saved[_channels + c];
        }

        private void InputGradient(int n, int c)
            => InputGradientPlane(PlaneOf(_x, n, c), PlaneOf(_dy, n, c), WritablePlaneOf(_dx, n, c), _saved[c], _saved[_channels + c], _scale[c], _meanDy[c], _meanDyXhat[c], _flags.AccumulateInput);

        // Σ over the batch of one channel's per-plane values, in sample order.
        private double SumOverBatch(float[] perPlane, int c)
        {
            double sum = 0;
            for (int n = 0; n < _batch; n++)
            {
                sum += perPlane[Plane(n, c)];
            }

            return sum;
        }

        private void FinishMean(int c) => _saved[c] = (float)(SumOverBatch(_planeSums, c) / ((double)_batch * _spatial));

        // The variance from the squared deviations, the moving statistics, and the channel's scale and shift.
        private void FinishVariance(int c)
        {
            float mean = _saved[c];
            double variance = SumOverBatch(_planeSums, c) / ((double)_batch * _spatial);
            float invStd = (float)(1 / Math.Sqrt(variance + _eps));
            _movingMean[c] = (_movingMean[c] * _momentum) + (mean * (1 - _momentum));
            _movingVar[c] = (_movingVar[c] * _momentum) + ((float)variance * (1 - _momentum));
            SetScale(c, mean, invStd);
        }

        private void UseMovingStatistics(int c)
        {
            float mean = _movingMean[c];
            SetScale(c, mean, 1f / MathF.Sqrt(_movingVar[c] + _eps));
        }

        private void SetScale(int c, float mean, float invStd)
        {
            _saved[c] = mean;
            _saved[_channels + c] = invStd;
            float scale = (_fixGamma ? 1f : _gamma[c]) * invStd;
            _scale[c] = scale;
            _shift[c] = _beta[c] - (mean * scale);
        }

        // dgamma and dbeta, and what the input gradient needs: the scale, mean(dy) and mean(dy · x̂).
        private void FinishGradients(int c)
        {
            double sumDy = SumOverBatch(_planeSums, c), sumDyXhat = SumOverBatch(_planeDots, c);
            if (_flags.GammaGradient)
            {
                float gammaGrad = _flags.FixGamma ? 0f : (float)sumDyXhat;
                _dGamma[c] = _flags.AccumulateGamma ? _dGamma[c] + gammaGrad : gammaGrad;
            }

            if (_flags.BetaGradient)
            {
                _dBeta[c] = _flags.AccumulateBeta ? _dBeta[c] + (float)sumDy : (float)sumDy;
            }

            int count = _batch * _spatial;
            _scale[c] = (_flags.FixGamma ? 1f : _gamma[c]) * _saved[_channels + c];
            _meanDy[c] = _flags.UsedBatchStats ? (float)(sumDy / count) : 0f;
            _meanDyXhat[c] = _flags.UsedBatchStats ? (float)(sumDyXhat / count) : 0f;
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
}
