namespace Nxt.TorchSharpBenchmarks;

/// <summary>A peer's Nxt part on its own: its set-up, the call a benchmark times, and its clean-up.</summary>
public sealed record NxtAlone(Action Setup, Action Step, Action Cleanup)
{
    /// <summary>The workloads the steps and ab modes take, by name.</summary>
    public static NxtAlone Named(string workload) => workload switch
    {
        "lenet" => new LeNetPeer().NxtSteps,
        "batchnorm" => new BatchNormNetPeer().NxtSteps,
        "tutorial" => new TutorialNetPeer().NxtSteps,
        "widemlp" => new WideMlpPeer().NxtSteps,
        "lenet-prediction" => new LeNetPredictionPeer().NxtPredictions,
        "mlp" => new MlpPeer { Batch = 64 }.NxtSteps,
        "mlp-prediction" => new MlpPeer { Batch = 64 }.NxtPredictions,
        "mlp-prediction-1" => new MlpPeer { Batch = 1 }.NxtPredictions,
        _ => throw new ArgumentException($"The workloads are lenet, batchnorm, tutorial, widemlp, mlp, lenet-prediction, mlp-prediction and mlp-prediction-1, got '{workload}'."),
    };
}
