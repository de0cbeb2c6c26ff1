using Nxt;

namespace Nxt.CheckpointWriter;

/// <summary>
/// Saves checkpoint PREFIX-0001 over and over, every parameter set to the round number k, and
/// prints k after each save returns. The crash test kills this process at random moments and
/// checks that the file on disk is always one whole round: never torn, never mixed.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine("usage: Nxt.CheckpointWriter PREFIX");
            return 2;
        }

        using var net = new WideNet();
        for (int k = 1; ; k++)
        {
            var values = new Dictionary<string, Tensor>();
            foreach (var (name, tensor) in net.GetParams().ArgParams)
            {
                tensor.Span.Fill(k);
                values[name] = tensor;
            }

            net.SetParams(values);
            net.SaveCheckpoint(args[0], 1);
            Console.WriteLine(k);
        }
    }
}

/// <summary>About a million parameters (4 MB a checkpoint), so that kills land inside writes.</summary>
[Network]
public partial class WideNet
{
    [Input(1000)]            Tensor data;
    [FullyConnected(1000)]   Tensor fc;
    [SoftmaxOutput]          Tensor softmax;
}
