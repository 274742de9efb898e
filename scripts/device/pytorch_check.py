"""THERE (the lent GPU machine, whose python3 has PyTorch and safetensors): checks that a LeNet.ts
checkpoint loads into PyTorch unchanged, and measures d2l's LeNet in PyTorch on the same GPU.

  python3 scripts/device/pytorch_check.py RUN_DIR OUT_DIR

1. Builds d2l's LeNet as an nn.Sequential, loads RUN_DIR/model.safetensors with strict=True (same
   names, same layouts: conv [out,in,kh,kw], linear [out,in]), and evaluates it on the 10,000
   Fashion-MNIST test images shipped in packages/models/data: the accuracy must equal the one the
   LeNet.ts run recorded for its last epoch (up to float rounding of a few borderline images).
2. Trains the same network with d2l's recipe (Xavier-uniform, SGD lr 0.9, batch 256, 10 epochs) in
   PyTorch on CUDA and prints examples/sec per epoch (data already on the GPU, as a fair upper
   bound) and the test accuracy.
3. Saves that PyTorch model's state_dict as OUT_DIR/pytorch-lenet5.safetensors, for LeNet.ts's
   `npm run evaluate` to load back.
"""
import gzip, json, struct, sys, time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from safetensors.torch import load_file, save_file

run_dir, out_dir = Path(sys.argv[1]), Path(sys.argv[2])
data_dir = Path('packages/models/data/fashion-mnist')
device = torch.device('cuda')


def idx(name, offset):
    return np.frombuffer(gzip.open(data_dir / name).read(), dtype=np.uint8, offset=offset)


def images(name):
    return torch.tensor(idx(name, 16).reshape(-1, 1, 28, 28), dtype=torch.float32, device=device) / 255


def labels(name):
    return torch.tensor(idx(name, 8).astype(np.int64), device=device)


train_x, train_y = images('train-images-idx3-ubyte.gz'), labels('train-labels-idx1-ubyte.gz')
test_x, test_y = images('t10k-images-idx3-ubyte.gz'), labels('t10k-labels-idx1-ubyte.gz')


def lenet():
    return nn.Sequential(
        nn.Conv2d(1, 6, kernel_size=5, padding=2), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Conv2d(6, 16, kernel_size=5), nn.Sigmoid(), nn.AvgPool2d(kernel_size=2, stride=2),
        nn.Flatten(), nn.Linear(16 * 5 * 5, 120), nn.Sigmoid(), nn.Linear(120, 84), nn.Sigmoid(), nn.Linear(84, 10)).to(device)


@torch.no_grad()
def accuracy(net):
    net.eval()
    correct = sum((net(test_x[i:i + 1000]).argmax(1) == test_y[i:i + 1000]).sum().item() for i in range(0, 10000, 1000))
    return correct / 10000


# 1. LeNet.ts weights in PyTorch
header = json.loads(open(run_dir / 'model.safetensors', 'rb').read()[8:8 + struct.unpack('<Q', open(run_dir / 'model.safetensors', 'rb').read(8))[0]])
recorded = json.loads(header['__metadata__']['history'])[-1]['testAcc']
net = lenet()
net.load_state_dict({k: v.to(device) for k, v in load_file(str(run_dir / 'model.safetensors')).items()}, strict=True)
acc = accuracy(net)
print(f'LeNet.ts checkpoint in PyTorch {torch.__version__}: test acc {acc:.4f} (LeNet.ts recorded {recorded:.4f})')

# 2. d2l's recipe in PyTorch on the same GPU
torch.manual_seed(1)
net = lenet()
for m in net:
    if isinstance(m, (nn.Linear, nn.Conv2d)):
        nn.init.xavier_uniform_(m.weight)
optimizer = torch.optim.SGD(net.parameters(), lr=0.9)
loss_fn = nn.CrossEntropyLoss()
print(f'PyTorch on {torch.cuda.get_device_name()}: d2l LeNet, batch 256, lr 0.9, 10 epochs, data on the GPU')
for epoch in range(10):
    net.train()
    order = torch.randperm(60000, device=device)
    torch.cuda.synchronize()
    start = time.perf_counter()
    total, correct, seen = 0.0, 0, 0
    for i in range(0, 60000, 256):
        batch = order[i:i + 256]
        x, y = train_x[batch], train_y[batch]
        optimizer.zero_grad()
        out = net(x)
        loss = loss_fn(out, y)
        loss.backward()
        optimizer.step()
        total += loss.detach() * len(batch)
        correct += (out.argmax(1) == y).sum()
        seen += len(batch)
    torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    print(f'epoch {epoch + 1}/10  loss {total.item() / seen:.3f}  train acc {correct.item() / seen:.3f}  '
          f'test acc {accuracy(net):.3f}  {seen / seconds:.0f} examples/sec')

out_dir.mkdir(parents=True, exist_ok=True)
save_file({k: v.detach().cpu().contiguous() for k, v in net.state_dict().items()}, str(out_dir / 'pytorch-lenet5.safetensors'),
          metadata={'model': 'lenet5', 'dataset': 'fashion-mnist', 'format': 'pt', 'library': 'pytorch'})
print(f'PyTorch model test acc {accuracy(net):.4f}; wrote pytorch-lenet5.safetensors')
