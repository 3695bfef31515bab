"""The BLAS reference for `npm run bench`: the same recipe in numpy (float32, one thread).

MNIST 784-128-10, relu/softmax, cross-entropy, plain SGD (learning rate 0.1 at batch 64,
0.01 at batch 1), He-normal and Glorot-uniform initialisation. Prints one JSON object.
"""
import json
import resource
import sys
import time

import numpy as np

DATA = sys.argv[1]
RUNS = 3


def idx(name):
    raw = open(f"{DATA}/{name}", "rb").read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


x_train = (idx("train-images-idx3-ubyte").reshape(-1, 784) / 255).astype(np.float32)
y_train = np.eye(10, dtype=np.float32)[idx("train-labels-idx1-ubyte")]
x_test = (idx("t10k-images-idx3-ubyte").reshape(-1, 784) / 255).astype(np.float32)
labels_test = idx("t10k-labels-idx1-ubyte")


def build(rng):
    limit = np.sqrt(6 / 138)
    return [
        (rng.standard_normal((128, 784)) * np.sqrt(2 / 784)).astype(np.float32),
        np.zeros(128, np.float32),
        rng.uniform(-limit, limit, (10, 128)).astype(np.float32),
        np.zeros(10, np.float32),
    ]


def forward(p, x):
    z1 = x @ p[0].T + p[1]
    a1 = np.maximum(z1, 0)
    z2 = a1 @ p[2].T + p[3]
    e = np.exp(z2 - z2.max(axis=1, keepdims=True))
    return z1, a1, e / e.sum(axis=1, keepdims=True)


def train(p, batch, learning_rate, examples, rng):
    order = rng.permutation(60000)[:examples]
    for start in range(0, examples, batch):
        rows = order[start : start + batch]
        x, y = x_train[rows], y_train[rows]
        z1, a1, a2 = forward(p, x)
        d2 = (a2 - y) / len(rows)
        d1 = (d2 @ p[2]) * (z1 > 0)
        p[2] -= learning_rate * (d2.T @ a1)
        p[3] -= learning_rate * d2.sum(axis=0)
        p[0] -= learning_rate * (d1.T @ x)
        p[1] -= learning_rate * d1.sum(axis=0)


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


result = {"system": f"numpy {np.__version__}", "threads": 1}
for key, batch, learning_rate, examples in [("batch64", 64, 0.1, 60000), ("batch1", 1, 0.01, 20000)]:
    times = []
    for run in range(RUNS):
        rng = np.random.default_rng(run)
        p = build(rng)
        times.append(timed(lambda: train(p, batch, learning_rate, examples, rng)))
        if key == "batch64" and run == 0:
            result["accuracyAfterOneEpoch"] = float((forward(p, x_test)[2].argmax(1) == labels_test).mean())
    result[f"{key}ExamplesPerSecond"] = examples / sorted(times)[RUNS // 2]
inference = sorted(timed(lambda: forward(p, x_test)) for _ in range(RUNS))
result["inferenceExamplesPerSecond"] = 10000 / inference[RUNS // 2]
result["peakRssMB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(result))
