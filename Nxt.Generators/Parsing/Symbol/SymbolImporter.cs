using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using Nxt.Generators.Graph;
using Nxt.Generators.Model;
using Nxt.Generators.Operators;

namespace Nxt.Generators.Parsing.Symbol;

/// <summary>A project file the build can read: an AdditionalFiles item's path and text.</summary>
internal sealed record SymbolFileText(string Path, string Text);

/// <summary>
/// The compile-time twin of <c>mx.sym.load</c>: turns <c>[Network(Symbol = "file.json")]</c>
/// into the nodes an attributed class would declare. Each MXNet operator goes through its
/// descriptor in <see cref="OperatorTable"/>; the variables become data inputs (matched by name
/// with the class's <c>[Input]</c> fields), parameters, auxiliary states and labels, which
/// must carry the names Nxt gives them (<c>fc1_weight</c>, <c>bn1_moving_mean</c>,
/// <c>softmax_label</c>), as MXNet's own symbols do. Everything it cannot take is an NXT0012
/// naming the file, the line, the node and the op.
/// </summary>
internal static class SymbolImporter
{
    private static readonly Regex s_identifier = new("^[A-Za-z_][A-Za-z0-9_]*$");

    /// <summary>The spec with the symbol's nodes after the declared inputs, or with the problems that stop the import.</summary>
    public static NetworkSpec Apply(NetworkSpec spec, IReadOnlyList<SymbolFileText> files)
    {
        if (spec.SymbolFile is not string file)
        {
            return spec;
        }

        var problems = spec.Problems.ToList();
        var declared = spec.Nodes.ToList();
        void Fail(string message) => problems.Add(new DeclarationProblem(ErrorCode.SymbolImport, -1, "Symbol", message));

        var others = declared.Where(n => n.Op != OpKind.Input).Select(n => n.Name).ToList();
        if (others.Count > 0)
        {
            Fail($"Network '{spec.ClassName}' is imported from '{file}', so it declares only its [Input]s; remove {string.Join(", ", others)}");
            return spec with { Problems = problems.ToEquatableArray() };
        }

        var found = Find(files, file);
        if (found is null)
        {
            Fail($"'{file}' is not among the project's AdditionalFiles: add <AdditionalFiles Include=\"{file}\" /> to the project file, so the build can read it");
            return spec with { Problems = problems.ToEquatableArray() };
        }

        MxnetSymbol symbol;
        try
        {
            symbol = MxnetSymbol.Read(found.Text);
        }
        catch (JsonException ex)
        {
            Fail($"{file} line {ex.Line}: {ex.Message}");
            return spec with { Problems = problems.ToEquatableArray() };
        }

        var imported = new Importer(file, symbol, declared, Fail).Run();
        return spec with { Nodes = declared.Concat(imported).ToEquatableArray(), Problems = problems.ToEquatableArray() };
    }

    // The file whose path is the given one, or ends with it (AdditionalFiles paths are absolute).
    private static SymbolFileText? Find(IReadOnlyList<SymbolFileText> files, string file)
    {
        string wanted = Normalize(file);
        return files.FirstOrDefault(f => Normalize(f.Path) == wanted)
            ?? files.FirstOrDefault(f => Normalize(f.Path).EndsWith("/" + wanted.TrimStart('.', '/'), System.StringComparison.Ordinal));
    }

    private static string Normalize(string path) => path.Replace('\\', '/');

    private sealed class Importer
    {
        private readonly string _file;
        private readonly MxnetSymbol _symbol;
        private readonly HashSet<string> _inputs;
        private readonly HashSet<string> _usedInputs = new();
        private readonly System.Action<string> _report;
        private readonly List<NodeSpec> _nodes = new();
        private readonly List<int> _order = new();
        private bool _failed;

        public Importer(string file, MxnetSymbol symbol, List<NodeSpec> declared, System.Action<string> fail)
        {
            _file = file;
            _symbol = symbol;
            _inputs = new HashSet<string>(declared.Select(n => n.Name));
            _report = fail;
        }

        private void Fail(string message)
        {
            _failed = true;
            _report(message);
        }

        public List<NodeSpec> Run()
        {
            var heads = new HashSet<int>(_symbol.Heads.Select(h => h.Node));
            foreach (var head in _symbol.Heads.Where(h => _symbol.Nodes[h.Node].IsVariable))
            {
                Fail($"{_file}: the output '{_symbol.Nodes[head.Node].Name}' is a variable, not an operator's result");
            }

            foreach (var head in _symbol.Heads.Where(h => h.Output > 0))
            {
                Fail($"{_file}: an output is output {head.Output} of '{_symbol.Nodes[head.Node].Name}', but Nxt's operators have one output");
            }

            foreach (var node in _symbol.Nodes.Where(n => !n.IsVariable))
            {
                if (Import(node, heads.Contains(node.Index)) is NodeSpec spec)
                {
                    Place(spec, node.Index);
                }
            }

            // An [Input] must be a variable of the symbol (one no operator reads is allowed, as MXNet
            // keeps such arguments too); after a failed node this is not known, so not said.
            var variables = new HashSet<string>(_symbol.Nodes.Where(n => n.IsVariable).Select(n => n.Name));
            foreach (string unknown in _failed ? Enumerable.Empty<string>() : _inputs.Where(i => !_usedInputs.Contains(i) && !variables.Contains(i)))
            {
                Fail($"{_file}: [Input] '{unknown}' is not a data input of the symbol; its data inputs are {string.Join(", ", _usedInputs.DefaultIfEmpty("(none)"))}");
            }

            return _nodes;
        }

        // In the file's order, so a [Variable] stands where its declaration did, before the operators after it.
        private void Place(NodeSpec spec, int index)
        {
            int at = _order.FindIndex(i => i > index);
            at = at < 0 ? _nodes.Count : at;
            _nodes.Insert(at, spec);
            _order.Insert(at, index);
        }

        private NodeSpec? LearnedVariable(SymbolNode variable)
        {
            string text = variable.Attributes["__shape__"];
            int[]? shape;
            try
            {
                shape = new MxnetAttributeReader("a variable", variable.Attributes).Tuple("__shape__");
            }
            catch (MxnetImportException)
            {
                shape = null;
            }

            if (shape is null || shape.Length == 0 || shape.Any(d => d < 1))
            {
                Fail($"{_file} line {variable.Line}, variable '{variable.Name}': its __shape__ '{text}' is not a shape of positive sizes");
                return null;
            }

            return new NodeSpec(variable.Name, VariableOperator.Kind, EquatableArray<InputRef>.Empty, new VariableParams(shape.ToEquatableArray()))
            {
                IsMember = false,
                Origin = $"{_file} line {variable.Line}",
                ArgumentNames = new[] { variable.Name }.ToEquatableArray(),
            };
        }

        private NodeSpec? Import(SymbolNode node, bool isHead)
        {
            string where = $"{_file} line {node.Line}, node '{node.Name}' ({node.Op})";
            var descriptor = OperatorTable.ForMxnetOp(node.Op);
            if (descriptor is null)
            {
                Fail($"{where}: Nxt has no operator '{node.Op}'; it reads {string.Join(", ", OperatorTable.MxnetOps)}");
                return null;
            }

            if (!s_identifier.IsMatch(node.Name))
            {
                Fail($"{where}: the name is not a C# identifier, which Nxt's generated code needs (letters, digits and '_')");
                return null;
            }

            OpKind kind;
            OpParams parameters;
            var attributes = new MxnetAttributeReader(node.Op, node.Attributes);
            try
            {
                (kind, parameters) = descriptor.FromMxnet(attributes);
            }
            catch (MxnetImportException ex)
            {
                Fail($"{where}: {ex.Message}");
                return null;
            }

            var unread = attributes.Unread().ToList();
            if (unread.Count > 0)
            {
                Fail($"{where}: Nxt does not have the attribute(s) {string.Join(", ", unread.Select(k => $"'{k}' = '{node.Attributes[k]}'"))} of {node.Op}");
                return null;
            }

            var (min, max) = descriptor.Arity(parameters);
            int dataInputs = min == max ? min : DataInputs(node, min, max);
            if (node.Inputs.Count < dataInputs)
            {
                Fail($"{where}: it reads {node.Inputs.Count} input(s), but {node.Op} takes {dataInputs}");
                return null;
            }

            var inputs = new List<InputRef>();
            for (int i = 0; i < dataInputs; i++)
            {
                var (from, output) = node.Inputs[i];
                var source = _symbol.Nodes[from];
                if (output > 0)
                {
                    Fail($"{where}: it reads output {output} of '{source.Name}', but Nxt's operators have one output");
                    return null;
                }

                if (source.IsVariable && !_inputs.Contains(source.Name))
                {
                    // A learned variable of a known shape (MXNet's var(shape=)) is a [Variable]; any other is data.
                    if (!source.Attributes.ContainsKey("__shape__"))
                    {
                        Fail($"{where}: its input '{source.Name}' is a data input of the symbol without an [Input] field: declare [Input(sample shape)] Tensor {source.Name};");
                        return null;
                    }

                    if (LearnedVariable(source) is not NodeSpec variable)
                    {
                        return null;
                    }

                    if (!_nodes.Any(n => n.Name == source.Name))
                    {
                        Place(variable, source.Index);
                    }
                }
                else if (source.IsVariable)
                {
                    _usedInputs.Add(source.Name);
                }

                inputs.Add(new InputRef(source.Name, "Symbol", i));
            }

            // The rest are its parameters, auxiliary states and label, as variables; their names are checked against Nxt's after shape inference.
            var arguments = node.Inputs.Skip(dataInputs).Select(i => _symbol.Nodes[i.Node]).ToList();
            var computed = arguments.FirstOrDefault(a => !a.IsVariable);
            if (computed is not null)
            {
                Fail($"{where}: its parameter or label input '{computed.Name}' is computed by another operator; Nxt's parameters and labels are variables");
                return null;
            }

            return new NodeSpec(node.Name, kind, inputs.ToEquatableArray(), parameters)
            {
                IsMember = false,
                IsOutput = isHead && !OperatorTable.For(kind).Traits(parameters).HasFlag(OpTraits.Loss),
                Origin = $"{_file} line {node.Line}",
                ArgumentNames = arguments.Select(a => a.Name).ToEquatableArray(),
            };
        }

        // An operator of optional inputs (an RNN's initial states) reads data up to its first own
        // variable (NAME_weight, NAME_l0_i2h_weight), as MXNet names a node's parameters.
        private int DataInputs(SymbolNode node, int min, int max)
        {
            int count = 0;
            while (count < node.Inputs.Count && count < max)
            {
                var source = _symbol.Nodes[node.Inputs[count].Node];
                if (count >= min && source.IsVariable && !_inputs.Contains(source.Name) && source.Name.StartsWith(node.Name + "_", System.StringComparison.Ordinal))
                {
                    break;
                }

                count++;
            }

            return count;
        }
    }
}
