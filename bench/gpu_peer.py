"""The PyTorch peer of bench/Nxt.GpuBenchmarks, on the same GPU: the same workloads, shapes and
optimizer, timed the same way (a step waits for the GPU; median of 5 runs of 50 iterations after a
warm-up). Run on the GPU machine: python3 bench/gpu_peer.py"""
import statistics
import time

import torch
import torch.nn as nn

DEVICE = torch.device("cuda:0")


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 20, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Conv2d(20, 50, 5), nn.ReLU(), nn.MaxPool2d(2, 2),
        nn.Flatten(), nn.Linear(800, 500), nn.ReLU(), nn.Linear(500, 10))


def tutorial_net():
    return nn.Sequential(
        nn.Conv2d(3, 128, 3, padding=1), nn.BatchNorm2d(128, eps=1e-3, momentum=0.1), nn.ReLU(),
        nn.MaxPool2d(2, 2), nn.Flatten(), nn.Linear(128 * 112 * 112, 2))


def timed(step, iterations=50, runs=5):
    for _ in range(10):
        step()
    torch.cuda.synchronize()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _ in range(iterations):
            step()
        torch.cuda.synchronize()
        times.append((time.perf_counter() - start) / iterations)
    return statistics.median(times)


def training_step(model, shape, batch, classes):
    model = model.to(DEVICE)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    loss = nn.CrossEntropyLoss()
    data = torch.rand((batch, *shape), device=DEVICE)
    labels = (torch.arange(batch, device=DEVICE) % classes).long()

    def step():
        optimizer.zero_grad(set_to_none=False)
        out = model(data)
        loss(out, labels).backward()
        optimizer.step()
        out.softmax(1).cpu()  # the outputs come back each step, as Nxt's metric reads them

    return timed(step)


def main():
    torch.backends.cuda.matmul.allow_tf32 = False  # fp32, as Nxt computes
    torch.backends.cudnn.allow_tf32 = False
    print(f"# {torch.cuda.get_device_name(0)}, PyTorch {torch.__version__}, fp32 (TF32 off)")
    print(f"LeNet training step, batch 64: {training_step(lenet(), (1, 28, 28), 64, 10) * 1e6:.0f} us")
    print(f"Tutorial net training step, batch 8: {training_step(tutorial_net(), (3, 224, 224), 8, 2) * 1e6:.0f} us")
    for n in (1024, 2048, 4096):
        a = torch.rand((n, n), device=DEVICE)
        b = torch.rand((n, n), device=DEVICE)
        seconds = timed(lambda: a @ b.T)
        print(f"GEMM N={n}: {seconds * 1e6:.0f} us, {2 * n ** 3 / seconds / 1e12:.2f} TFLOP/s")
    length = 1 << 26
    x = torch.rand(length, device=DEVICE)
    y = torch.rand(length, device=DEVICE)
    z = torch.empty(length, device=DEVICE)
    seconds = timed(lambda: torch.add(x, y, out=z))
    print(f"Element-wise add of 2^26 floats: {seconds * 1e6:.0f} us, {12 * length / seconds / 1e9:.0f} GB/s")


if __name__ == "__main__":
    main()
