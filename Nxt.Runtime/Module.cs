using System;
using System.Collections.Generic;

namespace Nxt;

/// <summary>
/// The base of every generated network: MXNet's Module (bind, init, forward, backward,
/// update, fit, score, predict, checkpoint). The generated subclass supplies the static
/// <see cref="Layout"/> and the compiled forward and backward plans; everything that is the
/// same for every network (allocation, feeding, parameter I/O, the training loop) lives here.
/// </summary>
public abstract partial class Module : IDisposable
{
    private float[] _parameters;
    private float[] _parameterGradients;
    private float[] _auxiliaryStates;
    private GradReq[] _parameterGradReqs = [];
    private float[] _nodeState = [];
    private float[] _workspace = [];
    private float[] _activations = [];
    private float[] _gradients = [];
    private float[] _labels = [];
    private Tensor[] _outputs = [];
    private Tensor[] _nodeOutputs = [];
    private bool _disposed;
    private bool _forwardWasTraining;
    private bool _hasForward;

    /// <summary>Allocates the parameters (their size is fixed at build time).</summary>
    protected Module()
    {
        _parameters = new float[Layout.ParameterFloats];
        // On the pinned heap: in a data-parallel job MPI sums it while the backward pass still runs.
        _parameterGradients = GC.AllocateArray<float>(Layout.ParameterFloats, pinned: true);
        _auxiliaryStates = new float[Layout.AuxiliaryFloats];
    }

    /// <summary>The compiled network's static description (generated).</summary>
    protected abstract NetworkLayout Layout { get; }

    /// <summary>The forward plan (generated): reads the data slot, writes every node's buffer.</summary>
    protected abstract void ForwardCore(bool isTrain);

    /// <summary>The backward plan (generated): from the loss layers back to the parameters.</summary>
    protected abstract void BackwardCore();

    /// <summary>Points the node fields at their live buffers (generated).</summary>
    protected abstract void AttachNodeFields();

    /// <summary>The bound batch size, or 0 before <see cref="Bind"/>.</summary>
    public int BatchSize { get; private set; }

    /// <summary>
    /// Checks every batch's data for NaN and infinity before the forward pass (on by default: one
    /// such value silently turns every parameter into NaN). A vectorised scan of the batch; set
    /// false to skip it for data known to be clean.
    /// </summary>
    public bool CheckInputs { get; set; } = true;

    /// <summary>True once <see cref="Bind"/> has allocated the buffers.</summary>
    public bool IsBound => BatchSize > 0;

    /// <summary>True when bound for training (gradients allocated).</summary>
    public bool ForTraining { get; private set; }

    /// <summary>The parameter gradient requirement given to <see cref="Bind"/>.</summary>
    public GradReq GradReq { get; private set; } = GradReq.Write;

    /// <summary>The device the module is bound to.</summary>
    public Device Device { get; private set; } = Device.Cpu;

    /// <summary>True once parameters were initialised or loaded.</summary>
    public bool ParamsInitialized { get; private set; }

    /// <summary>Seeds parameter initialisation and dropout, so that runs are reproducible.</summary>
    public ulong Seed { get; set; }

    /// <summary>The network's layout: names, shapes and memory plan sizes.</summary>
    public NetworkLayout Description => Layout;

    /// <summary>
    /// Allocates every buffer for <paramref name="batchSize"/> samples, once: after this, a
    /// training step or a prediction allocates nothing. Binding again with another batch size
    /// keeps the parameters. <paramref name="gradReq"/> applies to every parameter, except those
    /// named in <paramref name="gradReqs"/> (MXNet's per-argument <c>grad_req</c>): give
    /// <see cref="GradReq.Null"/> to freeze a layer, and the backward pass skips the work that
    /// only frozen parameters would need. With <paramref name="inputsNeedGrad"/> the backward pass
    /// also computes the gradient of every data input (<see cref="GetInputGradient"/>), in a region
    /// allocated only then. With several <paramref name="devices"/> (MXNet's context list) each
    /// device runs a replica of the network on its slice of the batch (in proportion to
    /// <paramref name="workLoad"/>, equal by default); their gradients are summed on the host and
    /// one update keeps every replica's parameters equal.
    /// </summary>
    public void Bind(
        int batchSize,
        bool forTraining = true,
        GradReq gradReq = GradReq.Write,
        Device? device = null,
        IReadOnlyDictionary<string, GradReq>? gradReqs = null,
        bool inputsNeedGrad = false,
        IReadOnlyList<Device>? devices = null,
        IReadOnlyList<float>? workLoad = null)
    {
        using var use = Use(nameof(Bind));
        ThrowIfDisposed();
        if (batchSize < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, $"{Layout.NetworkName}.Bind: the batch size must be at least 1.");
        }

        bool several = devices is { Count: > 1 };
        if (devices is not null && (devices.Count == 0 || device is not null))
        {
            throw new ArgumentException($"{Layout.NetworkName}.Bind: give one device, or a non-empty list of devices, not both.", nameof(devices));
        }

        if (several && inputsNeedGrad)
        {
            throw new NotSupportedException($"{Layout.NetworkName}.Bind: input gradients are computed on one device; bind with one device to ask for them.");
        }

        device = several ? Device.Cpu : devices?[0] ?? device ?? Device.Cpu;
        var layout = Layout;
        if (forTraining && !layout.HasLoss)
        {
            throw new InvalidOperationException($"{layout.NetworkName} has no loss layer, so it is an inference graph: Bind(batchSize, forTraining: false).");
        }

        if (inputsNeedGrad && !forTraining)
        {
            throw new ArgumentException($"{layout.NetworkName}.Bind: inputsNeedGrad needs a backward pass, so forTraining: true.", nameof(inputsNeedGrad));
        }

        int gradientFloats = layout.GradientFloatsPerSample + (inputsNeedGrad ? layout.InputGradientFloatsPerSample : 0);
        int largest = Math.Max(layout.ActivationFloatsPerSample, gradientFloats);
        if ((long)largest * batchSize > Array.MaxLength)
        {
            throw new ArgumentOutOfRangeException(
                nameof(batchSize),
                batchSize,
                $"{Layout.NetworkName}.Bind: batch size {batchSize} needs {(long)largest * batchSize} floats in one buffer ({largest} per sample), more than an array holds; the largest batch is {Array.MaxLength / largest}.");
        }

        // Everything that can fail comes first (the requirements, the host buffers, the device):
        // a Bind that throws leaves the module bound as it was, or unbound.
        var parameterGradReqs = ResolveGradReqs(gradReq, gradReqs);
        long workspace = (long)layout.WorkspaceFloatsPerThread * Cpu.CpuWorkers.Parallelism;
        if (workspace > Array.MaxLength)
        {
            throw new InvalidOperationException($"{layout.NetworkName}.Bind: the CPU workspace of {layout.WorkspaceFloatsPerThread} floats per worker times {Cpu.CpuWorkers.Parallelism} workers is more than an array holds; set CpuThreads.Count lower.");
        }

        var activations = new float[layout.ActivationFloatsPerSample * batchSize];
        var gradients = forTraining ? new float[gradientFloats * batchSize] : [];
        var labels = new float[batchSize * layout.LabelFloatsPerSample];
        var nodeState = new float[layout.StateFloats];
        var workspaceBuffer = new float[workspace];
        BindDevice(device, batchSize, forTraining, parameterGradReqs, inputsNeedGrad);
        _parameterGradReqs = parameterGradReqs;
        _activations = activations;
        _gradients = gradients;
        _labels = labels;
        _batchInputs = new Tensor?[layout.Inputs.Count];
        _batchLabels = new Tensor?[layout.Labels.Count];
        InputGradientsWanted = inputsNeedGrad;
        _nodeState = nodeState;
        _workspace = workspaceBuffer;
        Random = new RandomSource(Seed ^ 0x5EED_D20Fu);
        BatchSize = batchSize;
        ForTraining = forTraining;
        GradReq = gradReq;
        Device = device;
        _hasForward = false;
        _evaluation = null; // sized for the old plan's outputs; rebuilt on the next evaluation
        AttachViews();
        if (several)
        {
            BindReplicas(batchSize, forTraining, gradReq, devices!, gradReqs, workLoad);
        }
        else
        {
            ReleaseReplicas();
        }

        if (_optimizer is not null)
        {
            _optimizer.RescaleGrad = 1.0f / ((float)batchSize * WorkerCount);
            PrepareDeviceOptimizer();
        }
    }

    /// <summary>
    /// Initialises every parameter by name (MXNet rules: <c>_weight</c> by the initializer,
    /// <c>_bias</c> zero, <c>_gamma</c> one, <c>_beta</c> zero). Defaults to <c>Uniform(0.01)</c>.
    /// Parameters already set are kept unless <paramref name="forceInit"/>.
    /// </summary>
    public void InitParams(Initializer? initializer = null, bool forceInit = false)
    {
        using var use = Use(nameof(InitParams));
        ThrowIfDisposed();
        if (ParamsInitialized && !forceInit)
        {
            return;
        }

        initializer ??= new Uniform(0.01f);
        PullFromDevice();
        var random = new RandomSource(Seed);
        foreach (var p in Layout.Parameters)
        {
            initializer.Initialize(p.Name, _parameters.AsSpan(p.Offset, p.SampleLength), p.ShapeFor(0), random);
        }

        foreach (var a in Layout.AuxiliaryStates)
        {
            initializer.Initialize(a.Name, _auxiliaryStates.AsSpan(a.Offset, a.SampleLength), a.ShapeFor(0), random);
        }

        ParamsInitialized = true;
        MarkHostParametersChanged();
    }

    /// <summary>
    /// MXNet <c>init_params(initializer, arg_params, aux_params, allow_missing)</c>: initialises every
    /// parameter, then takes the given values, which are checked first. With
    /// <paramref name="allowMissing"/> the parameters not given keep their fresh initialisation:
    /// the fine-tuning recipe, with a renamed last layer trained from scratch.
    /// </summary>
    public void InitParams(
        Initializer? initializer,
        IReadOnlyDictionary<string, Tensor> argParams,
        IReadOnlyDictionary<string, Tensor>? auxParams = null,
        bool allowMissing = false,
        bool allowExtra = false)
    {
        using var use = Use(nameof(InitParams));
        ArgumentNullException.ThrowIfNull(argParams);
        var (savedArgs, savedAux) = GetParams();
        bool wasInitialized = ParamsInitialized;
        InitParams(initializer, forceInit: true);
        try
        {
            SetParams(argParams, auxParams, allowMissing, allowExtra);
        }
        catch
        {
            // Leave the module as it was.
            SetParams(savedArgs, savedAux);
            ParamsInitialized = wasInitialized;
            throw;
        }
    }

    /// <summary>
    /// Runs the forward plan on <paramref name="batch"/>. <paramref name="isTrain"/> defaults
    /// to <see cref="ForTraining"/>; it switches dropout on.
    /// </summary>
    public void Forward(DataBatch batch, bool? isTrain = null)
    {
        using var use = Use(nameof(Forward));
        ArgumentNullException.ThrowIfNull(batch);
        ThrowIfNotBound(nameof(Forward));
        ThrowIfParamsNotInitialized(nameof(Forward));
        bool train = isTrain ?? ForTraining;
        if (train && !ForTraining)
        {
            throw new InvalidOperationException($"{Layout.NetworkName}.Forward(isTrain: true) needs a module bound with forTraining: true.");
        }

        bool labelled = MatchBatch(batch, nameof(Forward));
        if (CheckInputs)
        {
            CheckInputsFinite(nameof(Forward));
        }

        if (labelled)
        {
            CopyLabels(nameof(Forward));
        }
        else if (train && Layout.Label is not null)
        {
            throw new ArgumentException($"{Layout.NetworkName}.Forward: training needs labels for {Names(Layout.Labels)}, but the batch has none.", nameof(batch));
        }

        if (_replicasActive)
        {
            ForwardOnReplicas(train, labelled);
            _forwardWasTraining = train;
            _hasForward = true;
        }
        else
        {
            RunForwardPlan(train);
        }
    }

    /// <summary>The matched batch's data into the plan's input buffers, then the forward plan, here or on the device.</summary>
    private void RunForwardPlan(bool train)
    {
        if (_executor is { } executor)
        {
            ForwardOnDevice(executor, train); // straight from the batch into the device's staging
        }
        else
        {
            for (int i = 0; i < _batchInputs.Length; i++)
            {
                var spec = Layout.Inputs[i];
                Cpu.ParallelCopy.Copy(_batchInputs[i]!.Span, _activations.AsSpan(spec.Offset * BatchSize, spec.SampleLength * BatchSize));
            }

            Cpu.RowProduct.InferencePass = !train;
            try
            {
                ForwardCore(train);
            }
            finally
            {
                Cpu.RowProduct.InferencePass = false;
            }
        }

        _forwardWasTraining = train;
        _hasForward = true;
    }

    /// <summary>Runs the backward plan: gradients of the loss with respect to every parameter.</summary>
    public void Backward()
    {
        using var use = Use(nameof(Backward));
        ThrowIfNotBound(nameof(Backward));
        if (!ForTraining)
        {
            throw new InvalidOperationException($"{Layout.NetworkName}.Backward needs a module bound with forTraining: true.");
        }

        if (!_hasForward || !_forwardWasTraining)
        {
            throw new InvalidOperationException($"{Layout.NetworkName}.Backward needs a preceding Forward(batch, isTrain: true).");
        }

        if (_replicasActive)
        {
            BackwardOnReplicas();
        }
        else if (_executor is { } executor)
        {
            BackwardOnDevice(executor);
        }
        else
        {
            if (_overlappedSum is { Active: true } previous)
            {
                previous.Abandon(); // a second pass before an update: its gradients replace these
            }

            BackwardCore();
        }
    }

    /// <summary>MXNet <c>forward_backward</c>.</summary>
    public void ForwardBackward(DataBatch batch)
    {
        using var use = Use(nameof(ForwardBackward));
        Forward(batch, isTrain: true);
        Backward();
    }

    /// <summary>
    /// The outputs of the last forward pass, as live views (valid until the next one). On a
    /// device they are copied back after each forward pass; the other node fields are not.
    /// </summary>
    public IReadOnlyList<Tensor> GetOutputs()
    {
        ThrowIfNotBound(nameof(GetOutputs));
        return _outputs;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        LeaveKVStore();
        ReleaseReplicas();
        _executor?.Dispose();
        _executor = null;
        _disposed = true;
        _activations = [];
        _gradients = [];
        _parameters = [];
        _parameterGradients = [];
        _auxiliaryStates = [];
        _nodeState = [];
        _workspace = [];
        _optimizerState = [];
        _outputs = [];
        _nodeOutputs = [];
        BatchSize = 0;
        GC.SuppressFinalize(this);
    }

    // ---- What generated plans read and write. ----

    /// <summary>The forward buffers (per-sample offsets times <see cref="BatchSize"/>).</summary>
    protected Span<float> Activations => _activations;

    /// <summary>The backward buffers, laid out like <see cref="Activations"/> by the backward plan.</summary>
    protected Span<float> Gradients => _gradients;

    /// <summary>All parameters, at their absolute offsets.</summary>
    protected Span<float> Parameters => _parameters;

    /// <summary>All parameter gradients, laid out like <see cref="Parameters"/>.</summary>
    protected Span<float> ParameterGradients => _parameterGradients;

    /// <summary>
    /// Called by the backward plan as it goes: the parameter gradients from offset
    /// <paramref name="from"/> to the end are final. In a data-parallel job their sum over the
    /// workers may start now, overlapping the rest of the pass; otherwise nothing happens.
    /// </summary>
    protected void ParameterGradientsReady(int from) => _overlappedSum?.Ready(from);

    /// <summary>All auxiliary states (BatchNorm moving statistics), at their absolute offsets.</summary>
    protected Span<float> AuxiliaryStates => _auxiliaryStates;

    /// <summary>Fixed-size node state kept from forward to backward.</summary>
    protected Span<float> NodeState => _nodeState;

    /// <summary>Kernel scratch: <c>WorkspaceFloatsPerThread</c> floats for each CPU worker.</summary>
    protected Span<float> Workspace => _workspace;

    /// <summary>The current batch's labels: each labelled loss's at its per-sample offset times the batch size.</summary>
    protected ReadOnlySpan<float> Labels => _labels;

    /// <summary>True when bound with <c>inputsNeedGrad</c>: the backward plan computes the data inputs' gradients.</summary>
    protected bool InputGradientsWanted { get; private set; }

    /// <summary>True when the backward plan must compute the gradient of parameter <paramref name="index"/> (in <c>Parameters</c> order).</summary>
    protected bool GradientWanted(int index) => _parameterGradReqs[index] != GradReq.Null;

    /// <summary>True when parameter <paramref name="index"/>'s gradient adds to the previous one.</summary>
    protected bool GradientAdds(int index) => _parameterGradReqs[index] == GradReq.Add;

    /// <summary>The gradient requirement of each parameter, in <see cref="NetworkLayout.Parameters"/> order.</summary>
    public IReadOnlyList<GradReq> ParameterGradReqs => _parameterGradReqs;

    /// <summary>The generator for dropout masks.</summary>
    protected RandomSource Random { get; private set; } = new(0);

    /// <summary>The live output tensor of the node at <paramref name="index"/> in declaration order.</summary>
    protected Tensor NodeOutput(int index) => _nodeOutputs[index];

    private GradReq[] ResolveGradReqs(GradReq all, IReadOnlyDictionary<string, GradReq>? byName)
    {
        var parameters = Layout.Parameters;
        var reqs = new GradReq[parameters.Count];
        var names = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < reqs.Length; i++)
        {
            reqs[i] = all;
            names[parameters[i].Name] = i;
        }

        foreach (var (name, req) in byName ?? new Dictionary<string, GradReq>())
        {
            if (!names.TryGetValue(name, out int index))
            {
                throw new ArgumentException($"{Layout.NetworkName}.Bind: gradReqs names '{name}', which is not a parameter. Its parameters are: {string.Join(", ", names.Keys)}.", nameof(byName));
            }

            reqs[index] = req;
        }

        return reqs;
    }

    // The output tensors and node fields: views of the activation buffer at the bound batch size.
    private void AttachViews()
    {
        var layout = Layout;
        _outputs = new Tensor[layout.Outputs.Count];
        for (int i = 0; i < _outputs.Length; i++)
        {
            _outputs[i] = ActivationTensor(layout.Outputs[i]);
        }

        _nodeOutputs = new Tensor[layout.Nodes.Count];
        for (int i = 0; i < _nodeOutputs.Length; i++)
        {
            var node = layout.Nodes[i];
            _nodeOutputs[i] = node.Unavailable is null ? ActivationTensor(node) : Tensor.Unavailable(node.ShapeFor(BatchSize), node.Unavailable);
        }

        AttachNodeFields();
    }

    private Tensor ActivationTensor(BufferSpec spec)
        => Tensor.View(_activations, spec.Offset * BatchSize, spec.ShapeFor(BatchSize));

    private void ThrowIfDisposed()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
    }

    private void ThrowIfNotBound(string operation)
    {
        ThrowIfDisposed();
        if (!IsBound)
        {
            throw new InvalidOperationException($"{Layout.NetworkName}.{operation} needs a bound module: call Bind(batchSize) first.");
        }
    }

    // A network without parameters or auxiliary states (a mask, a reshape) has nothing to initialise.
    private void ThrowIfParamsNotInitialized(string operation)
    {
        if (!ParamsInitialized && (Layout.Parameters.Count > 0 || Layout.AuxiliaryStates.Count > 0))
        {
            throw new InvalidOperationException($"{Layout.NetworkName}.{operation} needs initialised parameters: call InitParams(), SetParams(...) or LoadCheckpoint(...) first.");
        }
    }
}
