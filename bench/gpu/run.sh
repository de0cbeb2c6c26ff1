#!/usr/bin/env bash
# Runs on the GPU machine (see bundle.sh): the device tests on CUDA, the LeNet sample on the GPU
# and on the CPU, the GPU benchmarks, and the PyTorch peer; everything it prints also lands in
# $OUT/gpu-run.txt.
set -uo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
tar -xJf .device/bundle.tar.xz -C "$work"
export DOTNET_ROOT="$work/dotnet" NXT_FASHION_MNIST="$work/data" DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet="$work/dotnet/dotnet"
log=${OUT:-/tmp}/gpu-run.txt

# ILGPU opens the driver as libcuda.so; a machine may carry only libcuda.so.1.
if ! ldconfig -p | grep -q 'libcuda\.so '; then
  real=$(ldconfig -p | awk '/libcuda\.so\.1 /{print $NF; exit}')
  [ -z "$real" ] && real=$(find / -name 'libcuda.so.1' -not -path '/proc/*' 2>/dev/null | head -1)
  mkdir -p "$work/cuda" && ln -sf "$real" "$work/cuda/libcuda.so"
  export LD_LIBRARY_PATH="$work/cuda:${LD_LIBRARY_PATH:-}"
fi

{
  nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv
  echo "== Device tests on CUDA device 0 (NXT_TEST_DEVICE=cuda)"
  NXT_TEST_DEVICE=cuda timeout 300 "$dotnet" "$work/tests/Nxt.DeviceTestRunner.dll" \
    CudaTests GpuKernelTests IlgpuPlanTests EmbeddingTests SequenceMaskTests 2>&1
  for device in gpu cpu; do
    echo "== LeNet sample, 2 epochs on 20,000 images, --device $device"
    "$dotnet" "$work/lenet/FashionMnistLeNet.dll" --device "$device" --epochs 2 --train 20000 2>&1 | grep -E "Training on|Train-accuracy|Time cost|Test accuracy|Cannot|rror"
  done
  echo "== Nxt GPU benchmarks"
  "$dotnet" "$work/bench/Nxt.GpuBenchmarks.dll" --filter '*' --inProcess --job short 2>&1 | grep -E "^\||//|No CUDA|rror"
  echo "== PyTorch peer"
  python3 bench/gpu_peer.py
} 2>&1 | tee "$log"
