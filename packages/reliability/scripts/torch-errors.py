"""Prints, as JSON, the exception PyTorch raises for each case of docs/errors.md that has a
PyTorch counterpart: {id: "ExceptionClass: message"}. Run: /usr/bin/python3 scripts/torch-errors.py"""
import json
import math
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F

warnings.simplefilter("ignore")
x = torch.randn(2, 3, requires_grad=True)
y = torch.randn(3, 4)
model = nn.Linear(3, 2)
opt = torch.optim.Adam(model.parameters(), lr=0.01)


def backward_twice():
    out = x.exp().sum()
    out.backward()
    out.backward()


def inplace_saved():
    e = x.exp()
    e.mul_(2)
    e.sum().backward()


def anomaly():
    a = torch.tensor([-1.0, 4.0], requires_grad=True)
    out = a.sqrt().sum()
    with torch.autograd.detect_anomaly():
        out.backward()


def clip():
    p = torch.tensor([1.0, 2.0], requires_grad=True)
    p.grad = torch.tensor([math.inf, 1.0])
    nn.utils.clip_grad_norm_([p], 1.0, error_if_nonfinite=True)


def one_cycle():
    o = torch.optim.SGD([torch.tensor([1.0], requires_grad=True)], lr=0.1)
    s = torch.optim.lr_scheduler.OneCycleLR(o, max_lr=1, total_steps=1)
    o.step()
    s.step()
    s.step()


def load_group_size():
    sd = opt.state_dict()
    sd["param_groups"][0]["params"] = [0]
    opt.load_state_dict(sd)


def use_after_free():
    raise NotImplementedError  # no counterpart


CASES = {
    "add-broadcast-mismatch": lambda: x + torch.zeros(4),
    "matmul-inner-mismatch": lambda: x @ x,
    "to-invalid-target": lambda: y.to({"dtype": torch.float64}),
    "matmul-0d": lambda: torch.matmul(torch.tensor(2.0), torch.tensor(2.0)),
    "mm-vector": lambda: torch.mm(torch.zeros(3), y),
    "bmm-rank": lambda: torch.bmm(x, y),
    "dot-rank": lambda: torch.dot(x, x),
    "dot-size": lambda: torch.dot(torch.zeros(2), torch.zeros(3)),
    "view-numel": lambda: x.view(4),
    "view-noncontiguous": lambda: x.t().view(6),
    "view-two-inferred": lambda: x.view(-1, -1),
    "reshape-numel": lambda: x.reshape(4, 2),
    "transpose-dim-range": lambda: x.transpose(0, 2),
    "sum-dim-range": lambda: x.sum(5),
    "softmax-dim-range": lambda: x.softmax(-3),
    "sum-0d-dim": lambda: torch.tensor(1.5).sum(1),
    "unsqueeze-dim-range": lambda: x.unsqueeze(4),
    "expand-size": lambda: x.expand(4, 3),
    "expand-fewer-sizes": lambda: x.expand(3),
    "permute-length": lambda: x.permute(0),
    "permute-repeated": lambda: x.permute(0, 0),
    "cat-sizes": lambda: torch.cat([x, torch.zeros(2, 4)], 0),
    "cat-empty": lambda: torch.cat([]),
    "cat-ranks": lambda: torch.cat([x, torch.zeros(3)]),
    "stack-sizes": lambda: torch.stack([x, torch.zeros(3, 2)]),
    "select-index-range": lambda: x.select(0, 5),
    "select-0d": lambda: torch.tensor(1.5).select(0, 0),
    "slice-0d": lambda: torch.tensor(1.5)[0:1],
    "slice-fractional-bound": lambda: x[:, 0.5:2],
    "chunk-0d": lambda: torch.tensor(1.5).chunk(2),
    "cat-0d": lambda: torch.cat([torch.tensor(1.5), torch.zeros(2)]),
    "gather-index-size": lambda: torch.gather(x, 0, torch.zeros(2, 4, dtype=torch.long)),
    "gather-index-range": lambda: torch.gather(x, 1, torch.tensor([[3]])),
    "matmul-empty-inner": lambda: torch.matmul(torch.zeros(1, 2, 0), torch.zeros(3, 0)),
    "flatten-dims-order": lambda: x.flatten(1, 0),
    "chunk-zero": lambda: x.chunk(0),
    "repeat-fewer-dims": lambda: x.repeat(2),
    "topk-k-range": lambda: x.topk(4),
    "item-many": lambda: x.item(),
    "item-empty": lambda: torch.zeros(0).item(),
    "max-empty": lambda: torch.zeros(0).max(),
    "argmax-empty": lambda: torch.zeros(0).argmax(),
    "zeros-negative": lambda: torch.zeros(-1),
    "tensor-ragged": lambda: torch.tensor([[1, 2], [3]]),
    "arange-zero-step": lambda: torch.arange(0, 1, 0),
    "arange-step-sign": lambda: torch.arange(0, 5, -1),
    "linspace-negative-steps": lambda: torch.linspace(0, 1, -2),
    "inplace-broadcast-output": lambda: torch.zeros(2, 3).add_(torch.zeros(4, 2, 3)),
    "index-select-range": lambda: torch.index_select(x, 0, torch.tensor([5])),
    "index-select-float-index": lambda: torch.index_select(x, 0, torch.tensor([0.0])),
    "gather-float-index": lambda: torch.gather(x, 1, torch.tensor([[0.0]])),
    "gather-rank": lambda: torch.gather(x, 1, torch.tensor([0])),
    "inplace-int-from-float": lambda: torch.tensor([1, 2]).add_(1.5),
    "matmul-dtypes": lambda: torch.matmul(x, torch.zeros(3, 2, dtype=torch.float64)),
    "requires-grad-int": lambda: torch.tensor([1, 2], requires_grad=True),
    "mean-int": lambda: torch.tensor([1, 2]).mean(),
    "neg-bool": lambda: torch.tensor([True, False]).neg(),
    "sub-bool": lambda: torch.tensor([True, False]) - torch.tensor([True, False]),
    "bce-input-range": lambda: F.binary_cross_entropy(torch.tensor([1.5]), torch.tensor([1.0])),
    "bce-input-nan": lambda: F.binary_cross_entropy(torch.tensor([math.nan]), torch.tensor([1.0])),
    "arange-infinite": lambda: torch.arange(0, math.inf),
    "normal-nan-std": lambda: torch.zeros(2).normal_(0, math.nan),
    "clip-grad-nonfinite": clip,
    "optimizer-nan-lr": lambda: torch.optim.Adam(model.parameters(), lr=math.nan),
    "anomaly-nan-grad": anomaly,
    "cross-entropy-target-range": lambda: F.cross_entropy(x, torch.tensor([0, 5])),
    "nll-batch-size": lambda: F.nll_loss(x, torch.tensor([0, 1, 2])),
    "mse-broadcast": lambda: F.mse_loss(x, torch.zeros(4)),
    "backward-nonscalar": lambda: (x * 2).backward(),
    "backward-twice": backward_twice,
    "backward-no-grad-fn": lambda: torch.tensor([1.0, 2.0]).sum().backward(),
    "backward-gradient-shape": lambda: (x * 2).backward(torch.ones(3)),
    "grad-unused-input": lambda: torch.autograd.grad(x.sum(), [torch.tensor([1.0], requires_grad=True)]),
    "grad-input-without-grad": lambda: torch.autograd.grad(x.sum(), [y]),
    "hook-without-grad": lambda: y.register_hook(lambda g: g),
    "retain-grad-without-grad": lambda: y.retain_grad(),
    "inplace-leaf-requires-grad": lambda: x.add_(1),
    "inplace-saved-tensor": inplace_saved,
    "requires-grad-non-leaf": lambda: (x * 2).requires_grad_(False),
    "linear-in-features": lambda: model(torch.zeros(2, 4)),
    "linear-negative-size": lambda: nn.Linear(-1, 2),
    "load-state-dict-missing": lambda: model.load_state_dict({"weight": torch.zeros(2, 3)}),
    "load-state-dict-shape": lambda: model.load_state_dict({"weight": torch.zeros(2, 4), "bias": torch.zeros(2)}),
    "register-parameter-tensor": lambda: model.register_parameter("extra", y),
    "register-parameter-dot": lambda: model.register_parameter("a.b", nn.Parameter(torch.zeros(1))),
    "get-submodule-missing": lambda: model.get_submodule("foo"),
    "conv-groups": lambda: nn.Conv2d(3, 4, 3, groups=2),
    "conv-input-rank": lambda: nn.Conv2d(1, 1, 1)(torch.zeros(3)),
    "dropout-p-range": lambda: nn.Dropout(1.5),
    "embedding-index-range": lambda: nn.Embedding(3, 2)(torch.tensor([3])),
    "layer-norm-shape": lambda: nn.LayerNorm(4)(x),
    "batch-norm-single-value": lambda: nn.BatchNorm1d(3)(torch.zeros(1, 3)),
    "sequential-index-range": lambda: nn.Sequential(nn.Linear(1, 1))[5],
    "optimizer-negative-lr": lambda: torch.optim.Adam(model.parameters(), lr=-1),
    "optimizer-beta-range": lambda: torch.optim.Adam(model.parameters(), betas=(1.0, 0.999)),
    "optimizer-nesterov": lambda: torch.optim.SGD(model.parameters(), lr=0.1, nesterov=True),
    "optimizer-duplicate-group": lambda: opt.add_param_group({"params": [model.weight]}),
    "optimizer-load-group-count": lambda: opt.load_state_dict({"state": {}, "param_groups": []}),
    "optimizer-load-group-size": load_group_size,
    "one-cycle-overstep": one_cycle,
}

out = {}
for case_id, fn in CASES.items():
    try:
        fn()
        out[case_id] = None
    except Exception as e:  # noqa: BLE001 - recording whatever PyTorch raises
        out[case_id] = f"{type(e).__name__}: {e}"
print(json.dumps(out, indent=1))
