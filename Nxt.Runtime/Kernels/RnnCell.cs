namespace Nxt.Kernels;

/// <summary>The cell of MXNet's fused <c>RNN</c> operator (its <c>mode</c>), as the kernels take it.</summary>
public enum RnnCell
{
    /// <summary>Long short-term memory: gates <c>[i, f, g, o]</c>, a cell state besides the hidden one.</summary>
    Lstm,

    /// <summary>Gated recurrent unit: gates <c>[r, z, n]</c>, the reset gate applied to the recurrent part of <c>n</c>.</summary>
    Gru,

    /// <summary><c>h = tanh(W_ih·x + b_ih + W_hh·h' + b_hh)</c>.</summary>
    Tanh,

    /// <summary><c>h = relu(W_ih·x + b_ih + W_hh·h' + b_hh)</c>.</summary>
    Relu,
}

/// <summary>What the kernels ask of a cell.</summary>
internal static class RnnCells
{
    /// <summary>Gates a step computes per hidden unit: 4, 3 or 1.</summary>
    public static int Gates(this RnnCell cell) => cell switch
    {
        RnnCell.Lstm => 4,
        RnnCell.Gru => 3,
        _ => 1,
    };
}
