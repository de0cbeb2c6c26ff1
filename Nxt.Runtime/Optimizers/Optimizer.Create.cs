using System;
using System.Collections.Generic;

namespace Nxt;

public abstract partial class Optimizer
{
    /// <summary>
    /// MXNet <c>mx.optimizer.create</c>: an optimizer by its MXNet name, any case (<c>sgd</c>,
    /// <c>nag</c>, <c>adam</c>, <c>adamw</c>, <c>rmsprop</c>, <c>adagrad</c>, <c>adadelta</c>) with
    /// MXNet's options by their C# names (<c>learning_rate</c> is <paramref name="learningRate"/>,
    /// <c>wd</c> <paramref name="weightDecay"/>, <c>clip_gradient</c> <paramref name="clipGradient"/>,
    /// <c>lr_scheduler</c> <paramref name="schedule"/>). Options the optimizer does not have are an
    /// error naming them, not silently dropped; those not given keep the optimizer's defaults.
    /// </summary>
    public static Optimizer Create(
        string name,
        float? learningRate = null,
        float? momentum = null,
        float? weightDecay = null,
        float? clipGradient = null,
        LearningRateSchedule? schedule = null,
        float? beta1 = null,
        float? beta2 = null,
        float? epsilon = null,
        float? rho = null,
        float? gamma1 = null,
        float? gamma2 = null,
        bool? centered = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var given = new List<string>();
        void Note(string option, bool present)
        {
            if (present)
            {
                given.Add(option);
            }
        }

        Note("momentum", momentum is not null);
        Note("beta1", beta1 is not null);
        Note("beta2", beta2 is not null);
        Note("epsilon", epsilon is not null);
        Note("rho", rho is not null);
        Note("gamma1", gamma1 is not null);
        Note("gamma2", gamma2 is not null);
        Note("centered", centered is not null);

        string key = name.ToLowerInvariant();
        string[] takes = key switch
        {
            "sgd" or "nag" => ["momentum"],
            "adam" or "adamw" => ["beta1", "beta2", "epsilon"],
            "rmsprop" => ["gamma1", "gamma2", "epsilon", "centered"],
            "adagrad" => ["epsilon"],
            "adadelta" => ["rho", "epsilon"],
            _ => throw new ArgumentException($"Optimizer.Create: no optimizer named '{name}'; the names are sgd, nag, adam, adamw, rmsprop, adagrad, adadelta.", nameof(name)),
        };
        var refused = given.FindAll(option => Array.IndexOf(takes, option) < 0);
        if (refused.Count > 0)
        {
            throw new ArgumentException($"Optimizer.Create: '{key}' has no option {string.Join(", ", refused)}; its own options are {string.Join(", ", takes)} (and learningRate, weightDecay, clipGradient, schedule).");
        }

        Optimizer optimizer = key switch
        {
            "sgd" => new Sgd(learningRate ?? 0.01f, momentum ?? 0f),
            "nag" => new Sgd(learningRate ?? 0.01f, momentum ?? 0f, nesterov: true),
            "adam" => new Adam(learningRate ?? 0.001f, beta1 ?? 0.9f, beta2 ?? 0.999f, epsilon ?? 1e-8f),
            "adamw" => new AdamW(learningRate ?? 0.001f, beta1 ?? 0.9f, beta2 ?? 0.999f, epsilon ?? 1e-8f),
            "rmsprop" => new RmsProp(learningRate ?? 0.001f, gamma1 ?? 0.9f, gamma2 ?? 0.9f, epsilon ?? 1e-8f, centered ?? false),
            "adagrad" => new AdaGrad(learningRate ?? 0.01f, epsilon ?? 1e-7f),
            _ => new AdaDelta(rho ?? 0.9f, epsilon ?? 1e-5f),
        };

        if (key == "adadelta" && learningRate is float rate)
        {
            optimizer.LearningRate = rate;
        }

        if (weightDecay is float decay)
        {
            optimizer.WeightDecay = decay;
        }

        if (clipGradient is float clip)
        {
            optimizer.ClipGradient = clip;
        }

        optimizer.Schedule = schedule;
        return optimizer;
    }
}
