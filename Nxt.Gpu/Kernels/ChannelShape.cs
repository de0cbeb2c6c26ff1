
namespace Nxt.Gpu;

/// <summary>An (N, C, spatial) layout as one specialisation constant of a per-channel kernel.</summary>
public readonly record struct ChannelShape(int Batch, int Channels, int Spatial);
