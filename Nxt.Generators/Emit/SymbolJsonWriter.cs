using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Nxt.Generators.Graph;

namespace Nxt.Generators.Emit;

/// <summary>
/// The graph in MXNet's symbol-JSON layout (<c>prefix-symbol.json</c>): variables as
/// <c>"op": "null"</c> nodes placed just before the operator that first uses them,
/// <c>arg_nodes</c>, <c>node_row_ptr</c> and <c>heads</c>, with MXNet's operator and
/// attribute names.
/// </summary>
internal static class SymbolJsonWriter
{
    public static string Write(InferredGraph graph)
    {
        var entries = new List<string>();
        var argNodes = new List<int>();
        var jsonIndex = new int[graph.Nodes.Count];
        foreach (var node in graph.Nodes)
        {
            if (node.Op == OpKind.Input)
            {
                jsonIndex[node.Index] = Add(entries, argNodes, Variable(node.Name));
                continue;
            }

            var inputs = node.Inputs.Select(i => jsonIndex[i]).ToList();
            foreach (var p in node.Parameters.Concat(node.AuxiliaryStates))
            {
                inputs.Add(Add(entries, argNodes, Variable(p.Name)));
            }

            if (node.IsLoss)
            {
                inputs.Add(Add(entries, argNodes, Variable(node.LabelName)));
            }

            jsonIndex[node.Index] = entries.Count;
            entries.Add(Operator(node, inputs));
        }

        var json = new StringBuilder();
        json.Append("{\n  \"nodes\": [\n");
        json.Append(string.Join(",\n", entries));
        json.Append("\n  ],\n");
        json.Append("  \"arg_nodes\": [").Append(string.Join(", ", argNodes)).Append("],\n");
        json.Append("  \"node_row_ptr\": [").Append(string.Join(", ", Enumerable.Range(0, entries.Count + 1))).Append("],\n");
        json.Append("  \"heads\": [").Append(string.Join(", ", graph.Outputs.Select(o => $"[{jsonIndex[o]}, 0, 0]"))).Append("],\n");
        json.Append("  \"attrs\": {\"mxnet_version\": [\"int\", 10901]}\n}");
        return json.ToString();
    }

    private static int Add(List<string> entries, List<int> argNodes, string entry)
    {
        argNodes.Add(entries.Count);
        entries.Add(entry);
        return entries.Count - 1;
    }

    private static string Variable(string name)
        => $"    {{\n      \"op\": \"null\",\n      \"name\": \"{name}\",\n      \"inputs\": []\n    }}";

    private static string Operator(InferredNode node, List<int> inputs)
    {
        var attrs = Attributes(node.Spec.Params);
        string attrText = attrs.Count == 0
            ? string.Empty
            : "      \"attrs\": {" + string.Join(", ", attrs.Select(a => $"\"{a.Key}\": \"{a.Value}\"")) + "},\n";
        return $"    {{\n      \"op\": \"{OpName(node.Spec.Params)}\",\n      \"name\": \"{node.Name}\",\n{attrText}      \"inputs\": [{string.Join(", ", inputs.Select(i => $"[{i}, 0, 0]"))}]\n    }}";
    }

    /// <summary>MXNet's operator name: <c>elemwise_add</c>, <c>_mul_scalar</c>, <c>add_n</c>, or the op's own.</summary>
    public static string OpName(OpParams parameters) => parameters switch
    {
        ElementwiseParams { Scalar: null } e => "elemwise_" + e.Op.ToString().ToLowerInvariant(),
        ElementwiseParams e => e.Op switch
        {
            BinaryOp.Add => "_plus_scalar",
            BinaryOp.Sub => "_minus_scalar",
            BinaryOp.Mul => "_mul_scalar",
            _ => "_div_scalar",
        },
        ElementwiseSumParams => "add_n",
        IdentityParams => "identity",
        CustomParams => "Custom",
        SoftmaxParams { Log: false } => "softmax",
        SoftmaxParams => "log_softmax",
        RegressionOutputParams { Logistic: true } => "LogisticRegressionOutput",
        RegressionOutputParams => "LinearRegressionOutput",
        InputParams => "null",
        _ => parameters.GetType().Name.Substring(0, parameters.GetType().Name.Length - "Params".Length),
    };

    /// <summary>The operator's attributes under MXNet's names, e.g. <c>num_hidden</c>.</summary>
    public static List<KeyValuePair<string, string>> Attributes(OpParams parameters)
    {
        var attrs = new List<KeyValuePair<string, string>>();
        switch (parameters)
        {
            case FullyConnectedParams fc:
                attrs.Add(new("num_hidden", Number(fc.NumHidden)));
                if (fc.NoBias)
                {
                    attrs.Add(new("no_bias", "True"));
                }

                if (!fc.Flatten)
                {
                    attrs.Add(new("flatten", "False"));
                }

                break;
            case ConvolutionParams conv:
                attrs.Add(new("kernel", Tuple(conv.Kernel)));
                attrs.Add(new("num_filter", Number(conv.NumFilter)));
                AddIf(attrs, "stride", Tuple(conv.Stride), conv.Stride.Any(v => v != 1));
                AddIf(attrs, "pad", Tuple(conv.Pad), conv.Pad.Any(v => v != 0));
                AddIf(attrs, "dilate", Tuple(conv.Dilate), conv.Dilate.Any(v => v != 1));
                AddIf(attrs, "num_group", Number(conv.NumGroup), conv.NumGroup != 1);
                AddIf(attrs, "no_bias", "True", conv.NoBias);
                break;
            case PoolingParams pool:
                attrs.Add(new("pool_type", pool.PoolType.ToString().ToLowerInvariant()));
                if (pool.GlobalPool)
                {
                    attrs.Add(new("global_pool", "True"));
                    break;
                }

                attrs.Add(new("kernel", Tuple(pool.Kernel)));
                AddIf(attrs, "stride", Tuple(pool.Stride), pool.Stride.Any(v => v != 1));
                AddIf(attrs, "pad", Tuple(pool.Pad), pool.Pad.Any(v => v != 0));
                AddIf(attrs, "pooling_convention", "full", pool.Convention == PoolingConvention.Full);
                AddIf(attrs, "count_include_pad", "False", pool.PoolType == PoolType.Avg && !pool.CountIncludePad);
                break;
            case BatchNormParams bn:
                AddIf(attrs, "eps", Real(bn.Eps), bn.Eps != 1e-3);
                AddIf(attrs, "momentum", Real(bn.Momentum), bn.Momentum != 0.9);
                AddIf(attrs, "fix_gamma", "False", !bn.FixGamma);
                AddIf(attrs, "use_global_stats", "True", bn.UseGlobalStats);
                break;
            case ActivationParams act:
                attrs.Add(new("act_type", act.ActType.ToString().ToLowerInvariant()));
                break;
            case LeakyReLUParams leaky:
                attrs.Add(new("act_type", leaky.ActType.ToString().ToLowerInvariant()));
                AddIf(attrs, "slope", Real(leaky.Slope), leaky.ActType is LeakyType.Leaky or LeakyType.Elu && leaky.Slope != 0.25);
                break;
            case CustomParams custom:
                attrs.Add(new("op_type", custom.ShortName));
                break;
            case ReshapeParams reshape:
                attrs.Add(new("shape", Tuple(reshape.Shape)));
                break;
            case ConcatParams concat:
                attrs.Add(new("dim", Number(concat.Dim)));
                break;
            case ElementwiseParams { Scalar: double scalar }:
                attrs.Add(new("scalar", Real(scalar)));
                break;
            case DropoutParams dropout:
                attrs.Add(new("p", Real(dropout.P)));
                break;
            case SoftmaxOutputParams softmax:
                AddIf(attrs, "grad_scale", Real(softmax.GradScale), softmax.GradScale != 1.0);
                AddIf(attrs, "use_ignore", "True", softmax.UseIgnore);
                AddIf(attrs, "ignore_label", Number(softmax.IgnoreLabel), softmax.UseIgnore);
                AddIf(attrs, "normalization", softmax.Normalization.ToString().ToLowerInvariant(), softmax.Normalization != LossNormalization.Null);
                break;
            case RegressionOutputParams regression:
                AddIf(attrs, "grad_scale", Real(regression.GradScale), regression.GradScale != 1.0);
                break;
            case MakeLossParams loss:
                AddIf(attrs, "grad_scale", Real(loss.GradScale), loss.GradScale != 1.0);
                AddIf(attrs, "normalization", loss.Normalization.ToString().ToLowerInvariant(), loss.Normalization != LossNormalization.Null);
                break;
        }

        return attrs;
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Real(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Tuple(EquatableArray<int> values) => "(" + string.Join(", ", values.Select(Number)) + ")";

    private static void AddIf(List<KeyValuePair<string, string>> attrs, string key, string value, bool condition)
    {
        if (condition)
        {
            attrs.Add(new(key, value));
        }
    }
}
