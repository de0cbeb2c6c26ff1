using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Nxt.Generators.Graph;

/// <summary>
/// Each operator's rules, in MXNet's terms: <see cref="CheckArguments"/> validates what the
/// attribute says on its own; <see cref="Infer"/> gives the output shape, parameters, auxiliary
/// states and scratch from the input shapes, or reports why the inputs do not fit.
/// </summary>
internal static class ShapeRules
{
    /// <summary>The argument at fault and why, or null when the operator's own arguments are valid.</summary>
    public static (string? Argument, string Message)? CheckArguments(NodeSpec node) => node.Params switch
    {
        FullyConnectedParams fc when fc.NumHidden < 1 => ("numHidden", $"FullyConnected '{node.Name}' has num_hidden {fc.NumHidden}: it must be at least 1"),
        ConvolutionParams conv => CheckConvolution(node.Name, conv),
        PoolingParams pool => CheckWindow(node.Name, "Pooling", pool.Kernel, pool.Stride, pool.Pad, Shapes.Of(1, 1), pool.GlobalPool),
        BatchNormParams bn when !(bn.Eps > 0) => ("Eps", $"BatchNorm '{node.Name}' has eps {Format(bn.Eps)}: it must be positive"),
        BatchNormParams bn when !(bn.Momentum >= 0 && bn.Momentum <= 1) => ("Momentum", $"BatchNorm '{node.Name}' has momentum {Format(bn.Momentum)}: it must be in [0, 1]"),
        ActivationParams act when !Enum.IsDefined(typeof(ActivationType), act.ActType) => ("actType", $"Activation '{node.Name}' has act_type {(int)act.ActType}, which is not a value of Act"),
        LeakyReLUParams leaky when !Enum.IsDefined(typeof(LeakyType), leaky.ActType) => ("actType", $"LeakyReLU '{node.Name}' has act_type {(int)leaky.ActType}, which is not a value of LeakyAct"),
        LeakyReLUParams leaky when double.IsNaN(leaky.Slope) || double.IsInfinity(leaky.Slope) => ("Slope", $"LeakyReLU '{node.Name}' has slope {Format(leaky.Slope)}: it must be finite"),
        DropoutParams dropout when !(dropout.P >= 0 && dropout.P < 1) => ("p", $"Dropout '{node.Name}' has p = {Format(dropout.P)}: the drop probability must be in [0, 1)"),
        ReshapeParams reshape => CheckReshape(node.Name, reshape),
        CustomParams custom when custom.OutputShape.Any(d => d < 0) => (null, $"Custom operator {custom.ShortName} used by '{node.Name}' has output shape codes {Shapes.Codes(custom.OutputShape)}: use 0 (copy the input's dimension) or a positive size"),
        ConcatParams concat when concat.Dim < 1 => ("Dim", $"Concat '{node.Name}' has dim {concat.Dim}: axis 0 is the batch, so the axis must be at least 1"),
        ElementwiseParams { Op: BinaryOp.Div, Scalar: 0 } => ("Scalar", $"Div '{node.Name}' divides by the scalar 0"),
        ElementwiseParams { Scalar: double s } when double.IsNaN(s) || double.IsInfinity(s) => ("Scalar", $"{((ElementwiseParams)node.Params).Op} '{node.Name}' has scalar {Format(s)}: it must be finite"),
        SoftmaxOutputParams softmax when !IsFinite(softmax.GradScale) => ("GradScale", $"SoftmaxOutput '{node.Name}' has grad_scale {Format(softmax.GradScale)}: it must be finite"),
        SoftmaxOutputParams softmax when !Enum.IsDefined(typeof(LossNormalization), softmax.Normalization) => ("Normalization", $"SoftmaxOutput '{node.Name}' has normalization {(int)softmax.Normalization}, which is not a value of LossNormalization"),
        RegressionOutputParams regression when !IsFinite(regression.GradScale) => ("GradScale", $"{node.Op} '{node.Name}' has grad_scale {Format(regression.GradScale)}: it must be finite"),
        MakeLossParams loss when !IsFinite(loss.GradScale) => ("GradScale", $"MakeLoss '{node.Name}' has grad_scale {Format(loss.GradScale)}: it must be finite"),
        MakeLossParams { Normalization: LossNormalization.Valid } => ("Normalization", $"MakeLoss '{node.Name}' supports null and batch normalization; valid needs labels"),
        _ => null,
    };

    /// <summary>How many inputs the operator takes: (minimum, maximum).</summary>
    public static (int Min, int Max) Arity(NodeSpec node) => node.Params switch
    {
        InputParams => (0, 0),
        ConcatParams => (1, int.MaxValue),
        ElementwiseSumParams => (2, int.MaxValue),
        ElementwiseParams { Scalar: null } => (2, 2),
        _ => (1, 1),
    };

    /// <summary>The inferred node, or null after adding the reason to <paramref name="errors"/>.</summary>
    public static InferredNode? Infer(int index, NodeSpec node, IReadOnlyList<InferredNode> inputs, List<GraphError> errors)
    {
        var x = inputs[0].Shape;
        var none = Array.Empty<ParameterInfo>();
        int[] from = inputs.Select(i => i.Index).ToArray();
        InferredNode Node(EquatableArray<int> shape, IReadOnlyList<ParameterInfo>? parameters = null, IReadOnlyList<ParameterInfo>? aux = null, ScratchNeeds? scratch = null)
            => new(index, node, from, shape, parameters ?? none, aux, scratch);
        InferredNode? Fail(string message)
        {
            errors.Add(new GraphError(ErrorCode.ShapeMismatch, index, null, message));
            return null;
        }

        switch (node.Params)
        {
            case FullyConnectedParams fc:
            {
                int k = fc.Flatten ? Shapes.Product(x) : x[x.Count - 1];
                var shape = fc.Flatten ? Shapes.Of(fc.NumHidden) : Shapes.Of(x.Take(x.Count - 1).Append(fc.NumHidden));
                return Node(shape, WeightAndBias(node.Name, Shapes.Of(fc.NumHidden, k), fc.NumHidden, fc.NoBias));
            }

            case ConvolutionParams conv:
                return InferConvolution(index, node, conv, inputs[0], errors, Node);

            case PoolingParams pool:
                return InferPooling(index, node, pool, inputs[0], errors, Node);

            case BatchNormParams:
            {
                int c = x[0];
                var perChannel = Shapes.Of(c);
                return Node(
                    x,
                    [new(node.Name + "_gamma", perChannel), new(node.Name + "_beta", perChannel)],
                    [new(node.Name + "_moving_mean", perChannel), new(node.Name + "_moving_var", perChannel)],
                    new ScratchNeeds(0, 2 * c, 0));
            }

            case LeakyReLUParams { ActType: LeakyType.PRelu }:
                return Node(x, [new ParameterInfo(node.Name + "_gamma", Shapes.Of(x[0]))]);

            case ActivationParams or LeakyReLUParams:
                return Node(x);

            case DropoutParams:
                return Node(x, scratch: new ScratchNeeds(Shapes.Product(x), 0, 0));

            case FlattenParams:
                return Node(Shapes.Of(Shapes.Product(x)));

            case ReshapeParams reshape:
            {
                var (shape, problem) = ApplyReshape(reshape.Shape, x);
                return problem is null ? Node(shape!.Value) : Fail($"Reshape '{node.Name}' cannot take {inputs[0].Name} {Shapes.Batched(x)} to {Shapes.Codes(reshape.Shape)}: {problem}");
            }

            case ConcatParams concat:
                return InferConcat(node, concat, inputs, Node, Fail);

            case ElementwiseParams { Scalar: not null } or IdentityParams or BlockGradParams or SoftmaxParams or RegressionOutputParams or MakeLossParams:
                return Node(x);

            case ElementwiseParams or ElementwiseSumParams:
            {
                var different = inputs.FirstOrDefault(i => !i.Shape.Equals(x));
                if (different is not null)
                {
                    string verb = node.Params is ElementwiseParams e ? Verb(e.Op) : "sums";
                    return Fail($"'{node.Name}' {verb} {Shapes.Batched(x)} and {Shapes.Batched(different.Shape)} ('{inputs[0].Name}' and '{different.Name}'): shapes differ");
                }

                return Node(x);
            }

            case CustomParams custom:
            {
                if (custom.InputRank > 0 && x.Count != custom.InputRank)
                {
                    return Fail($"Custom operator {custom.ShortName} takes samples of rank {custom.InputRank}, but '{inputs[0].Name}' is {Shapes.Batched(x)}");
                }

                if (custom.OutputShape.Count == 0)
                {
                    return Node(x, scratch: new ScratchNeeds(Shapes.Product(x), 0, 0));
                }

                var copied = custom.OutputShape.Select((code, i) => code == 0 && i >= x.Count ? -1 : code == 0 ? x[i] : code).ToList();
                if (copied.Contains(-1))
                {
                    return Fail($"Custom operator {custom.ShortName} copies input dimension {copied.IndexOf(-1) + 1} (code 0), but '{inputs[0].Name}' is {Shapes.Batched(x)}");
                }

                // Scratch for the input gradient, so the user's Backward can overwrite and the plan add.
                return Node(Shapes.Of(copied), scratch: new ScratchNeeds(Shapes.Product(x), 0, 0));
            }

            case SoftmaxOutputParams:
                return x.Count == 1
                    ? Node(x)
                    : Fail($"SoftmaxOutput '{node.Name}' expects class scores (N,C), but '{inputs[0].Name}' is {Shapes.Batched(x)}: add a [Flatten] or a [FullyConnected] before it");

            default:
                throw new InvalidOperationException($"No shape rule for {node.Op}.");
        }
    }

    private delegate InferredNode NodeFactory(EquatableArray<int> shape, IReadOnlyList<ParameterInfo>? parameters = null, IReadOnlyList<ParameterInfo>? aux = null, ScratchNeeds? scratch = null);

    private static ParameterInfo[] WeightAndBias(string name, EquatableArray<int> weightShape, int units, bool noBias)
        => noBias
            ? [new(name + "_weight", weightShape)]
            : [new(name + "_weight", weightShape), new(name + "_bias", Shapes.Of(units))];

    private static (string?, string)? CheckConvolution(string name, ConvolutionParams conv)
    {
        if (conv.NumFilter < 1)
        {
            return ("numFilter", $"Convolution '{name}' has num_filter {conv.NumFilter}: it must be at least 1");
        }

        if (conv.NumGroup < 1 || conv.NumFilter % conv.NumGroup != 0)
        {
            return ("NumGroup", $"Convolution '{name}' has num_filter {conv.NumFilter} and num_group {conv.NumGroup}: num_filter must be a positive multiple of num_group");
        }

        return CheckWindow(name, "Convolution", conv.Kernel, conv.Stride, conv.Pad, conv.Dilate, global: false);
    }

    private static (string?, string)? CheckWindow(string name, string op, EquatableArray<int> kernel, EquatableArray<int> stride, EquatableArray<int> pad, EquatableArray<int> dilate, bool global)
    {
        if (!global && kernel.Any(k => k < 1))
        {
            return ("Kernel", $"{op} '{name}' has kernel {Shapes.Fixed(kernel)}: every size must be at least 1");
        }

        if (stride.Any(s => s < 1))
        {
            return ("Stride", $"{op} '{name}' has stride {Shapes.Fixed(stride)}: every stride must be at least 1");
        }

        if (pad.Any(p => p < 0))
        {
            return ("Pad", $"{op} '{name}' has pad {Shapes.Fixed(pad)}: padding cannot be negative");
        }

        if (dilate.Any(d => d < 1))
        {
            return ("Dilate", $"{op} '{name}' has dilate {Shapes.Fixed(dilate)}: every dilation must be at least 1");
        }

        return null;
    }

    private static InferredNode? InferConvolution(int index, NodeSpec node, ConvolutionParams conv, InferredNode input, List<GraphError> errors, NodeFactory make)
    {
        var x = input.Shape;
        if (x.Count != 3)
        {
            errors.Add(new GraphError(ErrorCode.ShapeMismatch, index, null, $"Convolution '{node.Name}' expects images (N,C,H,W), but '{input.Name}' is {Shapes.Batched(x)}"));
            return null;
        }

        int c = x[0];
        if (c % conv.NumGroup != 0)
        {
            errors.Add(new GraphError(ErrorCode.ParameterOutOfRange, index, "NumGroup", $"Convolution '{node.Name}' has num_group {conv.NumGroup}, which does not divide the {c} channels of '{input.Name}' {Shapes.Batched(x)}"));
            return null;
        }

        var output = new int[2];
        for (int axis = 0; axis < 2; axis++)
        {
            int extent = (conv.Dilate[axis] * (conv.Kernel[axis] - 1)) + 1;
            int padded = x[axis + 1] + (2 * conv.Pad[axis]);
            if (extent > padded)
            {
                errors.Add(new GraphError(ErrorCode.ParameterOutOfRange, index, "Kernel", $"Convolution '{node.Name}' has a {Shapes.Window(conv.Kernel)} kernel (dilated extent {extent}) larger than the padded input {padded} of '{input.Name}' {Shapes.Batched(x)}"));
                return null;
            }

            output[axis] = ((padded - extent) / conv.Stride[axis]) + 1;
        }

        int cPerGroup = c / conv.NumGroup;
        var weight = Shapes.Of(conv.NumFilter, cPerGroup, conv.Kernel[0], conv.Kernel[1]);
        // Per worker: one group's im2col matrices and GEMM output for a chunk of samples, plus its
        // own weight and bias gradient sums for the backward pass (Nxt.Cpu.ConvGeometry's
        // SamplesPerGemm and WorkspacePerThread; a test keeps the two equal).
        int colLength = cPerGroup * conv.Kernel[0] * conv.Kernel[1] * output[0] * output[1];
        int productLength = conv.NumFilter / conv.NumGroup * output[0] * output[1];
        int chunk = System.Math.Max(1, System.Math.Min(16, (1 << 18) / System.Math.Max(1, colLength)));
        int weightLength = Shapes.Product(weight);
        var scratch = new ScratchNeeds(0, 0, (chunk * colLength) + (chunk == 1 ? 0 : chunk * productLength) + weightLength + conv.NumFilter);
        return make(Shapes.Of(conv.NumFilter, output[0], output[1]), WeightAndBias(node.Name, weight, conv.NumFilter, conv.NoBias), scratch: scratch);
    }

    private static InferredNode? InferPooling(int index, NodeSpec node, PoolingParams pool, InferredNode input, List<GraphError> errors, NodeFactory make)
    {
        var x = input.Shape;
        if (x.Count != 3)
        {
            errors.Add(new GraphError(ErrorCode.ShapeMismatch, index, null, $"Pooling '{node.Name}' expects images (N,C,H,W), but '{input.Name}' is {Shapes.Batched(x)}"));
            return null;
        }

        if (pool.GlobalPool)
        {
            return make(Shapes.Of(x[0], 1, 1));
        }

        var output = new int[2];
        for (int axis = 0; axis < 2; axis++)
        {
            int padded = x[axis + 1] + (2 * pool.Pad[axis]);
            if (pool.Kernel[axis] > padded)
            {
                errors.Add(new GraphError(ErrorCode.ParameterOutOfRange, index, "Kernel", $"Pooling '{node.Name}' has a {Shapes.Window(pool.Kernel)} kernel larger than the padded input {padded} of '{input.Name}' {Shapes.Batched(x)}"));
                return null;
            }

            int span = padded - pool.Kernel[axis];
            output[axis] = (pool.Convention == PoolingConvention.Full ? (span + pool.Stride[axis] - 1) / pool.Stride[axis] : span / pool.Stride[axis]) + 1;
        }

        return make(Shapes.Of(x[0], output[0], output[1]));
    }

    private static (string?, string)? CheckReshape(string name, ReshapeParams reshape)
    {
        if (reshape.Shape.Count == 0)
        {
            return ("shape", $"Reshape '{name}' needs a target shape, e.g. [Reshape(0, -1)]");
        }

        if (reshape.Shape.Any(d => d < -1))
        {
            return ("shape", $"Reshape '{name}' has shape {Shapes.Codes(reshape.Shape)}: only 0 (keep), -1 (infer) and positive sizes are supported");
        }

        if (reshape.Shape.Count(d => d == -1) > 1)
        {
            return ("shape", $"Reshape '{name}' has shape {Shapes.Codes(reshape.Shape)}: at most one dimension can be -1");
        }

        return null;
    }

    // MXNet codes over the full shape, batch first: 0 keeps the input's dimension at that position,
    // -1 takes what is left. The batch must stay the first dimension.
    private static (EquatableArray<int>? Shape, string? Problem) ApplyReshape(EquatableArray<int> codes, EquatableArray<int> x)
    {
        int perSample = Shapes.Product(x);
        bool batchFirst = codes[0] == 0 || (codes[0] == -1 && codes.Skip(1).All(d => d != -1));
        if (!batchFirst)
        {
            return (null, "the batch dimension must stay first: start the shape with 0");
        }

        var dims = new List<int>();
        int inferAt = -1;
        for (int i = 1; i < codes.Count; i++)
        {
            int code = codes[i];
            if (code == 0)
            {
                if (i > x.Count)
                {
                    return (null, $"code 0 at position {i} copies a dimension the input does not have");
                }

                dims.Add(x[i - 1]);
            }
            else
            {
                if (code == -1)
                {
                    inferAt = dims.Count;
                }

                dims.Add(code);
            }
        }

        int known = dims.Where((d, i) => i != inferAt).Aggregate(1, (a, b) => a * b);
        if (inferAt >= 0)
        {
            if (known == 0 || perSample % known != 0)
            {
                return (null, $"{perSample} elements per sample do not divide into {known}");
            }

            dims[inferAt] = perSample / known;
        }
        else if (known != perSample)
        {
            return (null, $"{perSample} elements per sample become {known}");
        }

        return (Shapes.Of(dims), null);
    }

    private static InferredNode? InferConcat(NodeSpec node, ConcatParams concat, IReadOnlyList<InferredNode> inputs, NodeFactory make, Func<string, InferredNode?> fail)
    {
        var first = inputs[0].Shape;
        int axis = concat.Dim - 1; // the sample shape has no batch axis
        if (axis >= first.Count)
        {
            return fail($"Concat '{node.Name}' joins along dim {concat.Dim}, but '{inputs[0].Name}' {Shapes.Batched(first)} has only {first.Count + 1} dimensions");
        }

        int total = 0;
        foreach (var input in inputs)
        {
            var s = input.Shape;
            bool fits = s.Count == first.Count && Enumerable.Range(0, s.Count).All(d => d == axis || s[d] == first[d]);
            if (!fits)
            {
                return fail($"Concat '{node.Name}' joins along dim {concat.Dim}, but '{inputs[0].Name}' {Shapes.Batched(first)} and '{input.Name}' {Shapes.Batched(s)} differ off that axis");
            }

            total += s[axis];
        }

        return make(Shapes.Of(first.Select((d, i) => i == axis ? total : d)));
    }

    private static string Verb(BinaryOp op) => op switch
    {
        BinaryOp.Add => "adds",
        BinaryOp.Sub => "subtracts",
        BinaryOp.Mul => "multiplies",
        _ => "divides",
    };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static bool IsFinite(double value) => !double.IsNaN(value) && !double.IsInfinity(value);
}
