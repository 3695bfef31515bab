"""PyTorch's half of scripts/check-pytorch.sh: loads backprop's model.safetensors into the
README's nn.Sequential with load_state_dict(strict=True), checks its outputs against ours to
1e-5, then saves torch.safetensors (the README's lines for saving a file backprop reads) and
its outputs for `node scripts/check-pytorch.mjs read`. Reads and writes safetensors by hand
(the format is 8 bytes of little-endian header length, a JSON header, then the data), so only
torch is needed; `from safetensors.torch import load_file, save_file` does the same."""
import json
import struct
import sys

import torch
from torch import nn

directory = sys.argv[1]
DTYPES = {'F32': torch.float32, 'F64': torch.float64, 'I64': torch.int64}


def load_file(path):
    raw = open(path, 'rb').read()
    n = struct.unpack('<Q', raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    tensors = {k: torch.frombuffer(bytearray(raw[8 + n + v['data_offsets'][0]:8 + n + v['data_offsets'][1]]),
                                   dtype=DTYPES[v['dtype']]).reshape(v['shape'])
               for k, v in header.items() if k != '__metadata__'}
    return tensors, header.get('__metadata__', {})


def save_file(tensors, path, metadata):
    names = {v: k for k, v in DTYPES.items()}
    header, data, offset = {'__metadata__': metadata}, b'', 0
    for name, tensor in tensors.items():
        chunk = tensor.contiguous().numpy().tobytes()
        header[name] = {'dtype': names[tensor.dtype], 'shape': list(tensor.shape),
                        'data_offsets': [offset, offset + len(chunk)]}
        data, offset = data + chunk, offset + len(chunk)
    text = json.dumps(header).encode()
    text += b' ' * (-len(text) % 8)
    open(path, 'wb').write(struct.pack('<Q', len(text)) + text + data)


# The README's nn.Sequential for Dense(4 => 8, relu), BatchNormalization(), Dense(8 => 3, softmax)
net = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.BatchNorm1d(8, eps=0.001, momentum=0.01), nn.Linear(8, 3))
state, metadata = load_file(f'{directory}/model.safetensors')
assert metadata['torch'] == ('nn.Sequential(nn.Linear(4, 8), nn.ReLU(), '
                             'nn.BatchNorm1d(8, eps=0.001, momentum=0.01), nn.Linear(8, 3))'), metadata['torch']
net.load_state_dict(state, strict=True)
net.eval()
x = torch.tensor(json.load(open(f'{directory}/inputs.json')), dtype=torch.float32)
ours = torch.tensor(json.load(open(f'{directory}/outputs.json')), dtype=torch.float32)
with torch.no_grad():
    theirs = torch.softmax(net(x), dim=1)  # PyTorch applies the softmax in the loss
worst = (theirs - ours).abs().max().item()
print(f'backprop\'s file in PyTorch {torch.__version__}: max |difference| {worst:.2e} over {len(x)} rows')
assert worst < 1e-5

# Train a step in PyTorch, then save a file backprop reads: the state_dict plus our architecture.
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
net.train()
loss = nn.functional.cross_entropy(net(x), torch.arange(len(x)) % 3)
loss.backward()
optimizer.step()
net.eval()
save_file(net.state_dict(), f'{directory}/torch.safetensors', metadata={'backprop': metadata['backprop']})
with torch.no_grad():
    json.dump(torch.softmax(net(x), dim=1).tolist(), open(f'{directory}/torch-outputs.json', 'w'))
