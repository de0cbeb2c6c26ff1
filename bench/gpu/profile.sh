#!/usr/bin/env bash
# Runs on the GPU machine (see bundle.sh): the time of every kernel of one training step in steady
# state, by Nsight Compute, for LeNet at batch 64 and the tutorial net at batch 8. 40 steps run;
# the profiler skips the first SKIP launches and times the next COUNT (enough for a step or two).
set -uo pipefail
cd "$(dirname "$0")/../.."
work=$(mktemp -d)
tar -xJf .device/bundle.tar.xz -C "$work"
export DOTNET_ROOT="$work/dotnet" DOTNET_CLI_TELEMETRY_OPTOUT=1
dotnet="$work/dotnet/dotnet"
log=${OUT:-/tmp}/gpu-profile.txt
if ! ldconfig -p | grep -q 'libcuda\.so '; then
  real=$(ldconfig -p | awk '/libcuda\.so\.1 /{print $NF; exit}')
  mkdir -p "$work/cuda" && ln -sf "$real" "$work/cuda/libcuda.so"
  export LD_LIBRARY_PATH="$work/cuda:${LD_LIBRARY_PATH:-}"
fi
ncu=$(command -v ncu || ls /opt/nvidia/nsight-compute/*/ncu 2>/dev/null | head -1)
{
  for workload in LeNet/64 Tutorial/8; do
    echo "== $workload: kernel times (ncu gpu__time_duration.sum), launches ${SKIP:-300} to $(( ${SKIP:-300} + ${COUNT:-60} ))"
    timeout 150 "$ncu" --clock-control none --target-processes all --launch-skip "${SKIP:-300}" --launch-count "${COUNT:-60}" \
      --metrics gpu__time_duration.sum --csv --page raw \
      "$dotnet" "$work/bench/Nxt.GpuBenchmarks.dll" --steps "$workload" 40 2>&1 \
      | tee "${OUT:-/tmp}/ncu-${workload%%/*}.csv" | python3 -c '
import csv, sys
rows = [r for r in csv.reader(l for l in sys.stdin if l.startswith("\""))]
if not rows: sys.exit("no profile rows")
head = rows[0]; name = head.index("Kernel Name"); t = head.index("gpu__time_duration.sum")
for r in rows[2:]:
    print(f"{r[t]:>12} ns  {r[name][:150]}")
'
  done
} 2>&1 | tee "$log"
