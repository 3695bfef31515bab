"""numpy as a system of bench/rounds.mjs: answers the driver's requests, one JSON object per line.

  python3 bench/rounds_numpy.py <MNIST directory>    (threads: OPENBLAS_NUM_THREADS, set by the driver)

The same recipe as ours, float32: relu hidden layers, softmax output, cross-entropy, plain SGD
(learning rate 0.01), batches in order; He-normal weights. Requests as rounds-node.mjs.
"""
import json
import sys
import time

import numpy as np

MNIST = sys.argv[1]
networks = {}


def idx(name):
    raw = open(f"{MNIST}/{name}", "rb").read()
    dims = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * dims).reshape(shape)


def make_data(spec, layers):
    """x, y to train on and the test inputs, as rounds-data.mjs makes them."""
    if spec["kind"] == "mnist":
        x = (idx("train-images-idx3-ubyte").reshape(-1, 784) / 255).astype(np.float32)
        y = np.eye(10, dtype=np.float32)[idx("train-labels-idx1-ubyte")]
        test = (idx("t10k-images-idx3-ubyte").reshape(-1, 784) / 255).astype(np.float32)
        return x, y, test
    rng = np.random.default_rng(7)
    shape = (spec["rows"], layers[0])
    if spec["kind"] == "uniform":
        x = rng.uniform(0.05, 1, shape).astype(np.float32)
    else:
        x = rng.standard_normal(shape).astype(np.float32)
    y = np.eye(layers[-1], dtype=np.float32)[rng.integers(0, layers[-1], spec["rows"])]
    return x, y, x


def build(layers):
    rng = np.random.default_rng(1)
    return [
        [
            (rng.standard_normal((n, m)) * np.sqrt(2 / m)).astype(np.float32),
            np.zeros(n, np.float32),
        ]
        for m, n in zip(layers[:-1], layers[1:])
    ]


def forward(p, x):
    """The activations a^0..a^L."""
    a = [x]
    for l, (w, b) in enumerate(p):
        z = a[-1] @ w.T + b
        if l < len(p) - 1:
            a.append(np.maximum(z, 0))
        else:
            e = np.exp(z - z.max(axis=1, keepdims=True))
            a.append(e / e.sum(axis=1, keepdims=True))
    return a


def train(p, x, y, batch, examples, learning_rate=0.01):
    for start in range(0, examples, batch):
        xb, yb = x[start : min(start + batch, examples)], y[start : min(start + batch, examples)]
        a = forward(p, xb)
        delta = (a[-1] - yb) / len(xb)
        for l in range(len(p) - 1, -1, -1):
            w, b = p[l]
            below = (delta @ w) * (a[l] > 0) if l > 0 else None
            w -= learning_rate * (delta.T @ a[l])
            b -= learning_rate * delta.sum(axis=0)
            delta = below


def timed(fn):
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def handle(request):
    op = request["op"]
    if op == "info":
        return {"name": f"numpy {np.__version__}"}
    if op == "setup":
        x, y, test = make_data(request["data"], request["layers"])
        networks[request["id"]] = (build(request["layers"]), x, y, test)
        return {"trainRows": len(x), "testRows": len(test)}
    if op == "gemm":
        n = request["n"]
        a = (np.arange(n * n, dtype=np.float32).reshape(n, n) % 7) - 3
        b = a.copy()
        bt = b.T if request["transposeB"] else b
        return {"seconds": timed(lambda: [a @ bt for _ in range(request["repeat"])])}
    p, x, y, test = networks[request["id"]]
    if op == "train":
        return {"seconds": timed(lambda: train(p, x, y, request["batch"], request["examples"]))}
    if op == "predict":
        rows = test[: request["rows"]]
        return {"seconds": timed(lambda: [forward(p, rows) for _ in range(request["repeat"])])}
    if op == "latency":
        micros = []
        for call in range(request["calls"]):
            row = test[call % 100 : call % 100 + 1]
            start = time.perf_counter_ns()
            forward(p, row)
            micros.append((time.perf_counter_ns() - start) / 1000)
        return {"micros": micros}
    raise ValueError(f"unknown op {op}")


for line in sys.stdin:
    try:
        answer = handle(json.loads(line))
    except Exception as error:  # reported to the driver, which stops
        answer = {"error": repr(error)}
    print(json.dumps(answer), flush=True)
