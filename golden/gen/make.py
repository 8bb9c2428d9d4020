#!/usr/bin/env python3
"""Writes golden/extra.json: the programs of programs.py run by real PyTorch (Debian's python3-torch 1.13.1),
in the format of shared/golden (autograd-golden/1). Run with Debian's python: /usr/bin/python3 golden/gen/make.py
The reference runs in float64 (torch.set_default_dtype(torch.float64)), like the shared golden files,
except programs that draw seeded random numbers, which run in float32 as a user runs them.
"""
import json, os, struct, sys, types
import numpy as np
import torch
sys.path.insert(0, os.path.dirname(__file__))
from programs import CASES

GOLDEN = os.path.normpath(os.path.join(os.path.dirname(__file__), ".."))

def load_file(name):
    """safetensors.torch.load_file, for the few dtypes the golden files use (no safetensors package here)."""
    with open(os.path.join(GOLDEN, name), "rb") as f:
        raw = f.read()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    kinds = {"F16": np.float16, "F32": np.float32, "F64": np.float64, "I64": np.int64}
    out = {}
    for key, info in header.items():
        if key == "__metadata__":
            continue
        a, b = info["data_offsets"]
        arr = np.frombuffer(raw[8 + n + a:8 + n + b], dtype=kinds[info["dtype"]]).reshape(info["shape"])
        t = torch.from_numpy(arr.copy())
        out[key] = t.float() if t.dtype == torch.float16 else t
    return out

st = types.ModuleType("safetensors")
st.torch = types.ModuleType("safetensors.torch")
st.torch.load_file = load_file
sys.modules["safetensors"] = st
sys.modules["safetensors.torch"] = st.torch

def value(v):
    if isinstance(v, bool):
        return {"bool": v}
    if isinstance(v, torch.Size):
        return {"shape": [len(v)], "data": list(v)}
    if isinstance(v, (int, float)):
        return {"shape": [], "data": [float(v)]}
    if isinstance(v, torch.Tensor):
        t = v.detach()
        out = {"shape": list(t.shape), "data": [x for x in t.flatten().tolist()]}
        if t.dtype == torch.bool:
            out["dtype"] = "bool"
            out["data"] = [bool(x) for x in out["data"]]
        elif t.dtype in (torch.int64, torch.int32):
            out["dtype"] = "int64"
        return out
    raise TypeError(f"cannot store {type(v)}")

cases = []
for entry in CASES:
    name, tier, program, exprs = entry[:4]
    extra = entry[4] if len(entry) > 4 else {}
    # Random draws differ between float32 and float64 (24 vs 53 random bits): programs that seed the
    # generator run in float32, as a user's program does; the rest in float64, as shared/golden does.
    torch.set_default_dtype(torch.float32 if "manual_seed" in program else torch.float64)
    scope = {}
    exec(compile(program, name, "exec"), scope)
    expect = {e: value(eval(e, scope)) for e in exprs}
    cases.append({"name": name, "tier": tier, "program": program, **extra, "expect": expect})
out = {
    "format": "autograd-golden/1",
    "reference": f"PyTorch {torch.__version__} (Debian python3-torch), default dtype float64",
    "compare": "as shared/golden/autograd.json",
    "cases": cases,
}
path = os.path.join(os.path.dirname(__file__), "..", "extra.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")
