using System;
using System.Collections.Generic;

namespace Nxt;

/// <summary>What a buffer of the network holds.</summary>
public enum BufferKind
{
    /// <summary>The data input (<c>data</c>), an argument.</summary>
    Data,
    /// <summary>A learned parameter (<c>fc1_weight</c>), an argument.</summary>
    Parameter,
    /// <summary>A loss layer's label (<c>softmax_label</c>), an argument.</summary>
    Label,
    /// <summary>A network output (<c>softmax_output</c>).</summary>
    Output,
    /// <summary>A node's output buffer.</summary>
    Node,
    /// <summary>An auxiliary state (BatchNorm moving statistics).</summary>
    AuxiliaryState,
}

/// <summary>
/// One argument, output, auxiliary state or node buffer: its name, its shape (with the batch
/// dimension first when <see cref="Batched"/>), and where it lives in the module's buffers:
/// for batched values, an offset per sample in the activation buffer (times the batch size);
/// for parameters, an absolute offset in the parameter buffer.
/// </summary>
public sealed class BufferSpec
{
    /// <summary>Called by generated code.</summary>
    public BufferSpec(string name, BufferKind kind, bool batched, int[] sampleShape, int offset, int classes = 0, int? ignoreLabel = null, string? unavailable = null, int gradientOffset = -1)
    {
        GradientOffset = gradientOffset;
        Unavailable = unavailable;
        Classes = classes;
        IgnoreLabel = ignoreLabel;
        Name = name;
        Kind = kind;
        Batched = batched;
        SampleShape = sampleShape;
        Offset = offset;
        int length = 1;
        foreach (int d in sampleShape)
        {
            length *= d;
        }

        SampleLength = length;
    }

    /// <summary>The MXNet name.</summary>
    public string Name { get; }

    /// <summary>What the buffer holds.</summary>
    public BufferKind Kind { get; }

    /// <summary>True when the batch dimension comes first.</summary>
    public bool Batched { get; }

    /// <summary>The shape without the batch dimension.</summary>
    public IReadOnlyList<int> SampleShape { get; }

    /// <summary>The number of elements per sample (or in all, when not batched).</summary>
    public int SampleLength { get; }

    /// <summary>For a label of class indices, the number of classes; 0 for real-valued labels and other buffers.</summary>
    public int Classes { get; }

    /// <summary>A label value that marks a sample to ignore, if the loss has one.</summary>
    public int? IgnoreLabel { get; }

    /// <summary>
    /// For a node whose value the plan does not keep after the forward pass (fused into a kernel,
    /// folded into a BatchNorm for inference, or its buffer reused), why; null when it is kept.
    /// </summary>
    public string? Unavailable { get; }

    /// <summary>For a data input, the per-sample offset of its gradient in the gradient buffer (bound with <c>inputsNeedGrad</c>); -1 otherwise.</summary>
    public int GradientOffset { get; }

    /// <summary>Offset per sample (batched: in the activation buffer, or for a label in the label buffer) or absolute (parameters), in floats.</summary>
    public int Offset { get; }

    /// <summary>The full shape for a batch size.</summary>
    public int[] ShapeFor(int batchSize)
    {
        var shape = new int[SampleShape.Count + (Batched ? 1 : 0)];
        int i = 0;
        if (Batched)
        {
            shape[i++] = batchSize;
        }

        foreach (int d in SampleShape)
        {
            shape[i++] = d;
        }

        return shape;
    }
}

/// <summary>A name and a full shape, as <c>InferShape</c> reports it.</summary>
public sealed record NamedShape(string Name, IReadOnlyList<int> Shape)
{
    /// <inheritdoc/>
    public override string ToString()
    {
        var dims = new int[Shape.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            dims[i] = Shape[i];
        }

        return $"{Name}{Tensor.FormatShape(dims)}";
    }
}

/// <summary>The shapes of every argument, output and auxiliary state for one batch size (MXNet <c>infer_shape</c>).</summary>
public sealed class InferredShapes
{
    internal InferredShapes(IReadOnlyList<NamedShape> arguments, IReadOnlyList<NamedShape> outputs, IReadOnlyList<NamedShape> auxiliaryStates)
    {
        Arguments = arguments;
        Outputs = outputs;
        AuxiliaryStates = auxiliaryStates;
    }

    /// <summary>In <c>ArgumentNames</c> order.</summary>
    public IReadOnlyList<NamedShape> Arguments { get; }

    /// <summary>In <c>OutputNames</c> order.</summary>
    public IReadOnlyList<NamedShape> Outputs { get; }

    /// <summary>In <c>AuxiliaryStateNames</c> order.</summary>
    public IReadOnlyList<NamedShape> AuxiliaryStates { get; }

    /// <summary>The shape of any argument, output or auxiliary state by name.</summary>
    public IReadOnlyList<int> this[string name]
    {
        get
        {
            foreach (var list in new[] { Arguments, Outputs, AuxiliaryStates })
            {
                foreach (var entry in list)
                {
                    if (entry.Name == name)
                    {
                        return entry.Shape;
                    }
                }
            }

            throw new KeyNotFoundException($"The network has no argument, output or auxiliary state named '{name}'.");
        }
    }
}

/// <summary>
/// The static description of a compiled network, emitted by the generator: its arguments in
/// MXNet order, its outputs, its node buffers and the sizes of its memory plan. The runtime
/// reads it to allocate, feed, initialise, save and load; the generated plan does the compute.
/// </summary>
public sealed class NetworkLayout
{
    /// <summary>Called by generated code.</summary>
    public NetworkLayout(
        string networkName,
        BufferSpec[] arguments,
        BufferSpec[] outputs,
        BufferSpec[] auxiliaryStates,
        BufferSpec[] nodes,
        int activationFloatsPerSample,
        int gradientFloatsPerSample,
        int inputGradientFloatsPerSample,
        int labelFloatsPerSample,
        int stateFloats,
        int workspaceFloatsPerThread,
        string symbolJson,
        string onnxGraph,
        bool hasLoss = true)
    {
        OnnxGraph = onnxGraph;
        HasLoss = hasLoss;
        StateFloats = stateFloats;
        WorkspaceFloatsPerThread = workspaceFloatsPerThread;
        NetworkName = networkName;
        Arguments = arguments;
        Outputs = outputs;
        AuxiliaryStates = auxiliaryStates;
        Nodes = nodes;
        ActivationFloatsPerSample = activationFloatsPerSample;
        GradientFloatsPerSample = gradientFloatsPerSample;
        SymbolJson = symbolJson;
        InputGradientFloatsPerSample = inputGradientFloatsPerSample;
        LabelFloatsPerSample = labelFloatsPerSample;
        var parameters = new List<BufferSpec>();
        var inputs = new List<BufferSpec>();
        var labels = new List<BufferSpec>();
        foreach (var argument in arguments)
        {
            switch (argument.Kind)
            {
                case BufferKind.Data:
                    inputs.Add(argument);
                    break;
                case BufferKind.Label:
                    labels.Add(argument);
                    break;
                default:
                    parameters.Add(argument);
                    ParameterFloats = Math.Max(ParameterFloats, argument.Offset + argument.SampleLength);
                    break;
            }
        }

        Parameters = parameters.ToArray();
        Inputs = inputs.ToArray();
        Labels = labels.ToArray();
        var labelOutputs = new int[labels.Count];
        for (int k = 0; k < labels.Count; k++)
        {
            string output = HeadName(k) + "_output";
            labelOutputs[k] = Array.FindIndex(outputs, o => o.Name == output);
        }

        LabelOutputs = labelOutputs;
        foreach (var aux in auxiliaryStates)
        {
            AuxiliaryFloats = Math.Max(AuxiliaryFloats, aux.Offset + aux.SampleLength);
        }

        if (inputs.Count == 0)
        {
            throw new ArgumentException($"Network '{networkName}' has no data argument.", nameof(arguments));
        }
    }

    /// <summary>False for an inference graph (no loss layer): it binds with <c>forTraining: false</c> only.</summary>
    public bool HasLoss { get; }

    /// <summary>The C# class name of the network.</summary>
    public string NetworkName { get; }

    /// <summary>All arguments, in MXNet order.</summary>
    public IReadOnlyList<BufferSpec> Arguments { get; }

    /// <summary>The learned parameters, in argument order.</summary>
    public IReadOnlyList<BufferSpec> Parameters { get; }

    /// <summary>The data inputs, in declaration order (<c>DataNames</c>).</summary>
    public IReadOnlyList<BufferSpec> Inputs { get; }

    /// <summary>The first data input.</summary>
    public BufferSpec Data => Inputs[0];

    /// <summary>The labels of the labelled losses, in declaration order (<c>LabelNames</c>); offsets are per sample in the label buffer.</summary>
    public IReadOnlyList<BufferSpec> Labels { get; }

    /// <summary>For each label, the index in <see cref="Outputs"/> of its loss's output.</summary>
    public IReadOnlyList<int> LabelOutputs { get; }

    /// <summary>The node name of the labelled loss <paramref name="label"/> (<c>softmax</c> for <c>softmax_label</c>).</summary>
    public string HeadName(int label) => Labels[label].Name[..^"_label".Length];

    /// <summary>The index of the labelled loss named <paramref name="head"/> among <see cref="Labels"/>, or -1.</summary>
    public int HeadIndex(string head)
    {
        for (int k = 0; k < Labels.Count; k++)
        {
            if (HeadName(k) == head)
            {
                return k;
            }
        }

        return -1;
    }

    /// <summary>The first labelled loss's label, if the network has one.</summary>
    public BufferSpec? Label => Labels.Count > 0 ? Labels[0] : null;

    /// <summary>Floats per sample of every data input's gradient (after the backward arena, with <c>inputsNeedGrad</c>).</summary>
    public int InputGradientFloatsPerSample { get; }

    /// <summary>Floats per sample of every label together.</summary>
    public int LabelFloatsPerSample { get; }

    /// <summary>The outputs (<c>softmax_output</c>).</summary>
    public IReadOnlyList<BufferSpec> Outputs { get; }

    /// <summary>Auxiliary states (BatchNorm moving statistics).</summary>
    public IReadOnlyList<BufferSpec> AuxiliaryStates { get; }

    /// <summary>Every node's output buffer, in declaration order.</summary>
    public IReadOnlyList<BufferSpec> Nodes { get; }

    /// <summary>Floats of forward buffers per sample (the forward memory plan).</summary>
    public int ActivationFloatsPerSample { get; }

    /// <summary>Floats of backward buffers per sample (the backward memory plan).</summary>
    public int GradientFloatsPerSample { get; }

    /// <summary>Fixed floats of node state kept from forward to backward (BatchNorm's batch statistics).</summary>
    public int StateFloats { get; }

    /// <summary>Floats of kernel scratch per worker thread (im2col buffers).</summary>
    public int WorkspaceFloatsPerThread { get; }

    /// <summary>Floats of all auxiliary states.</summary>
    public int AuxiliaryFloats { get; }

    /// <summary>Floats of all parameters.</summary>
    public int ParameterFloats { get; }

    /// <summary>The graph in MXNet's symbol-JSON layout.</summary>
    public string SymbolJson { get; }

    /// <summary>The network's ONNX graph for inference as the generator wrote it (nodes and constants; <c>ExportOnnx</c> adds the parameters).</summary>
    public string OnnxGraph { get; }

    /// <summary>MXNet <c>infer_shape</c> for a batch size.</summary>
    public InferredShapes InferShapes(int batchSize)
    {
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "The batch size must be at least 1.");
        }

        return new InferredShapes(Shapes(Arguments, batchSize), Shapes(Outputs, batchSize), Shapes(AuxiliaryStates, batchSize));
    }

    private static NamedShape[] Shapes(IReadOnlyList<BufferSpec> specs, int batchSize)
    {
        var result = new NamedShape[specs.Count];
        for (int i = 0; i < result.Length; i++)
        {
            result[i] = new NamedShape(specs[i].Name, specs[i].ShapeFor(batchSize));
        }

        return result;
    }
}
