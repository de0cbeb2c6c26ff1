#!/usr/bin/env bash
# Packs what the GPU machine needs into .device/ (ignored by git): that machine has CUDA and
# PyTorch but no .NET SDK and no network, so it gets the .NET runtime, the published LeNet sample,
# GPU benchmarks and device tests (with the runner that runs them without the SDK), and a
# Fashion-MNIST subset, all inside the device tool's 64 MiB carry limit.
# Then, with the device tool: run(command="bash bench/gpu/run.sh", carry=[".device"]).
set -euo pipefail
cd "$(dirname "$0")/../.."
out=.device
rm -rf "$out" && mkdir -p "$out/stage/data"
dotnet publish samples/FashionMnistLeNet -c Release -o "$out/stage/lenet" -p:UseAppHost=false
dotnet publish bench/Nxt.GpuBenchmarks -c Release -o "$out/stage/bench" -p:UseAppHost=false
# The device tests need no ONNX Runtime (only the ONNX tests load it): its native library stays behind.
dotnet publish tests/Nxt.DeviceTestRunner -c Release -o "$out/stage/tests" -p:UseAppHost=false
rm -rf "$out/stage/tests/runtimes" "$out/stage/tests/"*.pdb "$out/stage/tests/"*.xml
dotnet_root=$(dirname "$(readlink -f "$(command -v dotnet)")")
mkdir -p "$out/stage/dotnet"
cp -r "$dotnet_root/dotnet" "$dotnet_root/host" "$out/stage/dotnet/"
mkdir -p "$out/stage/dotnet/shared"
cp -r "$dotnet_root/shared/Microsoft.NETCore.App" "$out/stage/dotnet/shared/"

# The test set whole, the first 20,000 training images (the full set would not fit the carry limit).
src=${NXT_FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
cp "$src/t10k-images-idx3-ubyte.gz" "$src/t10k-labels-idx1-ubyte.gz" "$out/stage/data/"
python3 - "$src" "$out/stage/data" 20000 <<'PY'
import gzip, struct, sys
src, dst, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
for name, item in (("train-images-idx3-ubyte.gz", 784), ("train-labels-idx1-ubyte.gz", 1)):
    raw = gzip.open(f"{src}/{name}").read()
    header = 16 if item == 784 else 8
    head = bytearray(raw[:header]); struct.pack_into(">I", head, 4, count)
    with gzip.open(f"{dst}/{name}", "wb", compresslevel=9) as f:
        f.write(bytes(head) + raw[header:header + count * item])
PY
tar -cJf "$out/bundle.tar.xz" -C "$out/stage" .
rm -rf "$out/stage"
ls -la "$out/bundle.tar.xz"
