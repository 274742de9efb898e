"""The PyTorch peer of LeNet.ts's benchmark (packages/models/src/bench/peers/pytorch-peer.ts runs it).

Trains d2l's LeNet (sigmoid, average pooling) with SGD on the batches file the benchmark wrote, so
the batches, their order, the initial parameters and the learning rate are LeNet.ts's own, and
prints one JSON line: the time and loss of every step (warm-up steps first).

    python3 pytorch_lenet.py <batches.safetensors> [--threads N]

The batches file is safetensors (images [S,N,1,28,28], labels [S,N], param.<name>, metadata lr and
warmup). It is read here with the standard library (8-byte header length, JSON header, raw float32),
because the safetensors package is not part of a plain PyTorch install.

CPU threads: --threads (the benchmark passes the machine's cores). On a machine with CUDA, the
network and each batch go to the GPU, and every step ends with torch.cuda.synchronize(), so the step's
time includes the parameter update, as LeNet.ts's does.
"""
import argparse
import json
import os
import struct
import sys
import time


def read_safetensors(path):
    """Returns ({name: (shape, bytes)}, metadata) of an F32 safetensors file."""
    with open(path, 'rb') as f:
        data = f.read()
    (header_length,) = struct.unpack('<Q', data[:8])
    header = json.loads(data[8:8 + header_length])
    metadata = header.pop('__metadata__', {})
    body = memoryview(data)[8 + header_length:]
    tensors = {}
    for name, entry in header.items():
        if entry['dtype'] != 'F32':
            raise ValueError(f'{path}: tensor {name} is {entry["dtype"]}, expected F32')
        start, end = entry['data_offsets']
        tensors[name] = (entry['shape'], body[start:end])
    return tensors, metadata


def d2l_lenet(nn):
    """d2l's LeNet (sigmoid, average pooling); its state-dict names are LeNet.ts's (0.weight, ...)."""
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(),
        nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(),
        nn.Linear(120, 84), nn.Sigmoid(),
        nn.Linear(84, 10))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('batches')
    parser.add_argument('--threads', type=int, default=os.cpu_count())
    args = parser.parse_args()
    try:
        import torch
        from torch import nn
    except ImportError as error:
        print(json.dumps({'unavailable': f'{sys.executable} cannot import torch ({error})'}))
        return

    torch.set_num_threads(args.threads)
    cuda = torch.cuda.is_available()
    device = torch.device('cuda' if cuda else 'cpu')
    tensors, metadata = read_safetensors(args.batches)

    def load(name):
        shape, raw = tensors[name]
        return torch.frombuffer(bytearray(raw), dtype=torch.float32).reshape(shape)

    net = d2l_lenet(nn)
    net.load_state_dict({name: load('param.' + name) for name in net.state_dict()})
    net.to(device)
    images = load('images')
    labels = load('labels').long()
    optimizer = torch.optim.SGD(net.parameters(), lr=float(metadata['lr']))
    loss_fn = nn.CrossEntropyLoss()

    steps_ms, losses = [], []
    for step in range(images.shape[0]):
        start = time.perf_counter()
        x, y = images[step].to(device), labels[step].to(device)
        optimizer.zero_grad()
        loss = loss_fn(net(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        if cuda:
            torch.cuda.synchronize()
        steps_ms.append((time.perf_counter() - start) * 1000)

    print(json.dumps({
        'torch': torch.__version__,
        'device': torch.cuda.get_device_name(0) if cuda else 'cpu',
        'cuda': cuda,
        'threads': torch.get_num_threads(),
        'python': sys.version.split()[0],
        'stepsMs': steps_ms,
        'losses': losses,
    }))


if __name__ == '__main__':
    main()
