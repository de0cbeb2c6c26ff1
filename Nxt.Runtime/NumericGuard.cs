using System;

namespace Nxt;

/// <summary>
/// Thrown by <c>Fit(numericGuard: true)</c> at the first NaN or infinity: which layer or
/// parameter, in which pass, at which epoch and batch, instead of training on garbage.
/// </summary>
public sealed class NumericInstabilityException : Exception
{
    /// <summary>Creates the exception.</summary>
    public NumericInstabilityException(string location, string pass, int epoch, int batch, float value)
        : base($"{value} first appeared in {location} during the {pass} pass at epoch {epoch}, batch {batch}. Lower the learning rate, clip gradients (Sgd.ClipGradient) or check the data.")
    {
        Location = location;
        Pass = pass;
        Epoch = epoch;
        Batch = batch;
    }

    /// <summary>The node (<c>'fc2'</c>) or parameter (<c>fc2_weight</c>) where it appeared.</summary>
    public string Location { get; }

    /// <summary><c>forward</c>, <c>backward</c> or <c>update</c>.</summary>
    public string Pass { get; }

    /// <summary>The epoch.</summary>
    public int Epoch { get; }

    /// <summary>The batch within the epoch.</summary>
    public int Batch { get; }
}

public abstract partial class Module
{
    // Scans in plan order, so the first non-finite value names the layer that produced it.
    private void CheckFinite(string pass, int epoch, int batch)
    {
        var layout = Layout;
        if (pass == "forward")
        {
            // Values the plan does not keep are not in their buffers any more; what is there belongs to another node.
            foreach (var node in layout.Nodes)
            {
                if (node.Unavailable is not null)
                {
                    continue;
                }

                Check($"node '{node.Name}'", _activations.AsSpan(node.Offset * BatchSize, node.SampleLength * BatchSize));
            }

            return;
        }

        var values = pass == "backward" ? _parameterGradients : _parameters;
        foreach (var p in layout.Parameters)
        {
            Check(pass == "backward" ? $"the gradient of {p.Name}" : $"parameter {p.Name}", values.AsSpan(p.Offset, p.SampleLength));
        }

        void Check(string location, ReadOnlySpan<float> span)
        {
            int bad = Cpu.SpanMath.IndexOfNonFinite(span);
            if (bad >= 0)
            {
                throw new NumericInstabilityException(location, pass, epoch, batch, span[bad]);
            }
        }
    }

    // The primary output alone: what every Fit checks, guard or not (its size is a batch of scores).
    private void CheckOutputFinite(int epoch, int batch)
    {
        var output = _outputs[0].Span;
        int bad = Cpu.SpanMath.IndexOfNonFinite(output);
        if (bad >= 0)
        {
            throw new NumericInstabilityException($"output '{Layout.Outputs[0].Name}'", "forward", epoch, batch, output[bad]);
        }
    }
}
