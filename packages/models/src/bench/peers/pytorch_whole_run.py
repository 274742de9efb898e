"""The PyTorch side of LeNet.ts's whole-run benchmark (packages/models/src/bench/whole-run/ runs it).

Trains d2l's LeNet (pytorch_lenet.py's network) for whole epochs of Fashion-MNIST as d2l's
train_ch6 does, from the start file the benchmark wrote (LeNet.ts's initial parameters and each
epoch's order of the training examples, so the run sees what `npm run train` sees), evaluating the
test accuracy after every epoch. Prints d2l's line per epoch on stderr and one JSON line on stdout.

    python3 pytorch_whole_run.py <start.safetensors> <train-images> <train-labels> <test-images> <test-labels>
                                 [--threads N] [--flush-denormal]

The start file (safetensors, F32): param.<name> (state-dict names), order [E, n] (example indices as
floats), metadata lr, batch, epochs, testExamples. The IDX files (gzip or plain) are read with the
standard library. Pixels are scaled to [0, 1] (byte / 255, as torchvision's ToTensor).

Per epoch, as LeNet.ts's metrics.jsonl: trainLoss = sum(loss * n) / sum(n), trainAcc (on each batch
before its update), testAcc, trainSeconds (the steps, from a drawn batch
to its update, as train times them), epochSeconds
(steps and evaluation), examplesPerSec = examples / trainSeconds.

--flush-denormal: torch.set_flush_denormal(True), off by default (PyTorch's default); denormal
floats slow the sigmoid network's later steps on x86 CPUs, so the flag is recorded either way.
"""
import argparse
import gzip
import json
import struct
import sys
import time

from pytorch_lenet import d2l_lenet, read_safetensors


def read_idx(path):
    """(dims, bytes) of an IDX file of unsigned bytes (magic 0x00000801 or 0x00000803)."""
    opener = gzip.open if path.endswith('.gz') else open
    with opener(path, 'rb') as f:
        data = f.read()
    zero, kind, rank = struct.unpack('>HBB', data[:4])
    if zero != 0 or kind != 0x08:
        raise ValueError(f'{path}: not an IDX file of unsigned bytes')
    dims = struct.unpack('>' + 'I' * rank, data[4:4 + 4 * rank])
    return dims, data[4 + 4 * rank:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name in ['start', 'train_images', 'train_labels', 'test_images', 'test_labels']:
        parser.add_argument(name)
    parser.add_argument('--threads', type=int, required=True)
    parser.add_argument('--flush-denormal', action='store_true')
    args = parser.parse_args()
    try:
        import torch
        from torch import nn
    except ImportError as error:
        print(json.dumps({'unavailable': f'{sys.executable} cannot import torch ({error})'}))
        return

    torch.set_num_threads(args.threads)
    flush_denormal = torch.set_flush_denormal(True) if args.flush_denormal else False
    tensors, metadata = read_safetensors(args.start)

    def load(name):
        shape, raw = tensors[name]
        return torch.frombuffer(bytearray(raw), dtype=torch.float32).reshape(shape)

    def images_and_labels(images_path, labels_path, count):
        dims, pixels = read_idx(images_path)
        _, labels = read_idx(labels_path)
        images = torch.frombuffer(bytearray(pixels), dtype=torch.uint8).reshape(dims[0], 1, dims[1], dims[2])
        labels = torch.frombuffer(bytearray(labels), dtype=torch.uint8).long()
        return images[:count].float().div_(255), labels[:count]

    order = load('order').long()
    batch, epochs, lr = int(metadata['batch']), int(metadata['epochs']), float(metadata['lr'])
    train_x, train_y = images_and_labels(args.train_images, args.train_labels, order.shape[1])
    test_x, test_y = images_and_labels(args.test_images, args.test_labels, int(metadata['testExamples']))

    net = d2l_lenet(nn)
    net.load_state_dict({name: load('param.' + name) for name in net.state_dict()})
    optimizer = torch.optim.SGD(net.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()

    history = []
    for epoch in range(epochs):
        epoch_start = time.perf_counter()
        net.train()
        loss_sum, correct, examples, steps, train_seconds = 0.0, 0, 0, 0, 0.0
        for start in range(0, order.shape[1], batch):
            indices = order[epoch, start:start + batch]
            x, y = train_x[indices], train_y[indices]
            step_start = time.perf_counter()
            optimizer.zero_grad()
            logits = net(x)
            loss = loss_fn(logits, y)
            loss.backward()
            optimizer.step()
            loss_sum += loss.item() * len(y)
            correct += int((logits.argmax(dim=1) == y).sum())
            examples += len(y)
            steps += 1
            train_seconds += time.perf_counter() - step_start
        net.eval()
        with torch.no_grad():
            test_correct = sum(int((net(test_x[i:i + batch]).argmax(dim=1) == test_y[i:i + batch]).sum())
                               for i in range(0, len(test_y), batch))
        metrics = {
            'epoch': epoch + 1,
            'trainLoss': loss_sum / examples,
            'trainAcc': correct / examples,
            'testAcc': test_correct / len(test_y),
            'examplesPerSec': examples / train_seconds,
            'trainSeconds': train_seconds,
            'epochSeconds': time.perf_counter() - epoch_start,
            'examples': examples,
            'steps': steps,
        }
        history.append(metrics)
        print(f"pytorch epoch {epoch + 1}/{epochs}  loss {metrics['trainLoss']:.3f}  train acc {metrics['trainAcc']:.3f}  "
              f"test acc {metrics['testAcc']:.3f}  {metrics['examplesPerSec']:.1f} examples/sec", file=sys.stderr, flush=True)

    print(json.dumps({
        'torch': torch.__version__,
        'python': sys.version.split()[0],
        'threads': torch.get_num_threads(),
        'flushDenormal': bool(flush_denormal),
        'epochs': history,
    }))


if __name__ == '__main__':
    main()
