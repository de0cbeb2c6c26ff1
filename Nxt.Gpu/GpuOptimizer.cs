using System;
using System.Collections.Generic;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Runtime;

namespace Nxt.Gpu;

/// <summary>
/// The optimizer step as one kernel over every parameter float: each thread finds its parameter
/// in a small segment table (start, state start, frozen or not, learning-rate and weight-decay
/// multipliers) and applies SGD (momentum, Nesterov, clipping) or Adam/AdamW exactly as the host
/// optimizers do. The state keeps the host's layout, so checkpoints of it read the same.
/// Other optimizers have no kernel: <see cref="Create"/> returns null and the module updates on the host.
/// </summary>
internal sealed class GpuOptimizer : IDisposable
{
    private const int SgdKind = 0, AdamKind = 1;
    private readonly GpuDevice _device;
    private readonly MemoryBuffer1D<int, Stride1D.Dense> _segments;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _multipliers;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _state;
    private readonly int _parameterCount;
    private readonly int _floats;

    private GpuOptimizer(GpuDevice device, int[] segments, float[] multipliers, ReadOnlySpan<float> state, int parameterCount, int floats)
    {
        _device = device;
        _segments = device.Accelerator.Allocate1D(segments);
        _multipliers = device.Accelerator.Allocate1D(multipliers);
        _state = device.Accelerator.Allocate1D<float>(Math.Max(1, state.Length));
        _state.View.SubView(0, state.Length).CopyFromCPU(device.Stream, state);
        _parameterCount = parameterCount;
        _floats = floats;
    }

    public static GpuOptimizer? Create(
        GpuDevice device,
        NetworkLayout layout,
        Optimizer optimizer,
        ReadOnlySpan<int> stateOffsets,
        ReadOnlySpan<float> learningRateMultipliers,
        ReadOnlySpan<float> weightDecayMultipliers,
        IReadOnlyList<GradReq> gradReqs,
        ReadOnlySpan<float> state)
    {
        if (optimizer is not (Sgd or Adam))
        {
            return null;
        }

        var parameters = layout.Parameters;
        int count = parameters.Count;

        // [start of each parameter, then the end], [state start of each], [1 when it is updated].
        var segments = new int[(3 * count) + 1];
        var multipliers = new float[2 * count];
        for (int i = 0; i < count; i++)
        {
            segments[i] = parameters[i].Offset;
            segments[count + 1 + i] = stateOffsets[i];
            segments[(2 * count) + 1 + i] = gradReqs[i] == GradReq.Null ? 0 : 1;
            multipliers[i] = learningRateMultipliers[i];
            multipliers[count + i] = weightDecayMultipliers[i];
        }

        int floats = count == 0 ? 0 : parameters[count - 1].Offset + parameters[count - 1].SampleLength;
        segments[count] = floats;
        return new GpuOptimizer(device, segments, multipliers, state, count, floats);
    }

    public void Update(Optimizer optimizer, float learningRate, DeviceSpan parameters, DeviceSpan gradients)
    {
        var step = optimizer switch
        {
            Sgd sgd => new UpdateScalars(SgdKind, _parameterCount, learningRate, sgd.WeightDecay, sgd.RescaleGrad, sgd.ClipGradient, sgd.Momentum, Nesterov: sgd.Nesterov ? 1 : 0),
            Adam adam => new UpdateScalars(
                AdamKind, _parameterCount, learningRate, adam.WeightDecay, adam.RescaleGrad, adam.ClipGradient, 0f,
                adam.Beta1, adam.Beta2, adam.Epsilon, AdamCorrection(adam), Decoupled: adam is AdamW ? 1 : 0),
            _ => throw new InvalidOperationException($"No update kernel for {optimizer.GetType().Name}."),
        };
        Launcher.Run<ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, UpdateScalars>(_device, Kernel, _floats, parameters.View, gradients.View, _state.View, _segments.View, _multipliers.View, step);
    }

    public void Download(Span<float> state)
    {
        _state.View.SubView(0, state.Length).CopyToCPU(_device.Stream, state);
        _device.Synchronize();
    }

    public void Dispose()
    {
        _segments.Dispose();
        _multipliers.Dispose();
        _state.Dispose();
    }

    // Adam's bias correction of this update, as the host computes it.
    private static float AdamCorrection(Adam adam)
    {
        int t = Math.Max(adam.UpdateCount, 1);
        return MathF.Sqrt(1f - MathF.Pow(adam.Beta2, t)) / (1f - MathF.Pow(adam.Beta1, t));
    }

    internal static void Kernel(Index1D e, ArrayView<float> w, ArrayView<float> g, ArrayView<float> state, ArrayView<int> segments, ArrayView<float> multipliers, UpdateScalars s)
    {
        // The parameter holding element e: the last start at or before it.
        int lo = 0, hi = s.Count - 1;
        while (lo < hi)
        {
            int mid = (lo + hi + 1) / 2;
            if (segments[mid] <= e)
            {
                lo = mid;
            }
            else
            {
                hi = mid - 1;
            }
        }

        int p = lo;
        if (segments[(2 * s.Count) + 1 + p] == 0)
        {
            return; // frozen
        }

        int j = e - segments[p];
        int length = segments[p + 1] - segments[p];
        int stateIndex = segments[s.Count + 1 + p] + j;
        float lr = s.LearningRate * multipliers[p];
        float wd = s.WeightDecay * multipliers[s.Count + p];
        float grad = g[e] * s.Rescale;
        float weight = w[e];
        if (s.Kind == SgdKind)
        {
            if (s.Nesterov != 0 && s.Momentum > 0)
            {
                float gn = Clip(grad, s.Clip) + (wd * weight);
                float m = (s.Momentum * state[stateIndex]) + gn;
                state[stateIndex] = m;
                w[e] = weight - (lr * (gn + (s.Momentum * m)));
                return;
            }

            float stepValue = -lr * (Clip(grad, s.Clip) + (wd * weight));
            if (s.Momentum > 0)
            {
                stepValue = (s.Momentum * state[stateIndex]) + stepValue;
                state[stateIndex] = stepValue;
            }

            w[e] = weight + stepValue;
            return;
        }

        float ga = s.Decoupled != 0 ? Clip(grad, s.Clip) : Clip(grad + (wd * weight), s.Clip);
        float mean = (s.Beta1 * state[stateIndex]) + ((1f - s.Beta1) * ga);
        float variance = (s.Beta2 * state[stateIndex + length]) + ((1f - s.Beta2) * ga * ga);
        state[stateIndex] = mean;
        state[stateIndex + length] = variance;
        float update = lr * s.Correction * mean / (XMath.Sqrt(variance) + s.Epsilon);
        w[e] = weight - (s.Decoupled != 0 ? update + (lr * wd * weight) : update);
    }

    private static float Clip(float g, float clip) => clip > 0 ? XMath.Clamp(g, -clip, clip) : g;
}

/// <summary>One update's settings, passed by value to the update kernel.</summary>
internal readonly record struct UpdateScalars(
    int Kind,
    int Count,
    float LearningRate,
    float WeightDecay,
    float Rescale,
    float Clip,
    float Momentum,
    float Beta1 = 0f,
    float Beta2 = 0f,
    float Epsilon = 0f,
    float Correction = 0f,
    int Nesterov = 0,
    int Decoupled = 0);
