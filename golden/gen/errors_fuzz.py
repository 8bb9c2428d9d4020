#!/usr/bin/env python3
"""A seeded generator of small failing programs (the mistakes students make with PyTorch), with what real
Python 3.11 / PyTorch 1.13 raises for each: exception type, message (first line), line, and for a
SyntaxError/IndentationError the column (CPython's 1-based offset). Same format as golden/errors.json.
A program that real PyTorch runs without an exception (a case meant to fail but that does not, such as
mse_loss with broadcastable sizes, which only warns) is kept with "type": null: the engine must run it too.

  /usr/bin/python3 golden/gen/errors_fuzz.py --seed 1 --count 150 --out /tmp/errfuzz-1.json
  npx tsx scripts/errors-fuzz.ts /tmp/errfuzz-1.json        # compares the engine's errors with these

Dev tool: the output is not checked in; the fixed bugs it found are regression cases in golden/gen/errors.py.
"""
import argparse, json, os, random, sys, tempfile, traceback, warnings
import torch

NAMES = ["x", "y", "z", "a", "b", "w", "h", "out", "pred", "loss", "inp", "t", "v", "q", "k", "logits", "feat", "acts"]
MISSPELL = {  # attribute typos students make: tensor/module attributes
    "backward": ["backwards", "backword", "bakward"], "unsqueeze": ["unsquezee", "unsqeeze", "unsqueze"],
    "reshape": ["reshap", "rehsape", "reshaped"], "sum": ["summ", "Sum"], "mean": ["mena", "means"],
    "transpose": ["transpos", "tranpose"], "detach": ["dettach", "detatch"], "zero_": ["zero", "zeros_"],
    "requires_grad": ["require_grad", "requires_grads", "requiresgrad"], "item": ["items", "itme"],
    "numel": ["numels", "numl"], "shape": ["shapes", "shap"], "view": ["veiw", "views"], "grad": ["grads", "gradient"],
}
TORCH_TYPOS = {"zeros": ["zero", "zeroes"], "ones": ["one", "onse"], "randn": ["randm", "rnadn", "random"],
               "tensor": ["tensr", "Tensors"], "arange": ["arrange", "range"], "matmul": ["matmult", "mat_mul"],
               "stack": ["stak"], "cat": ["concatenate", "cats"], "exp": ["expo"], "sigmoid": ["sigmod"]}


class Gen:
    def __init__(self, rng):
        self.r = rng

    def names(self, n):
        return self.r.sample(NAMES, n)

    def dim(self, lo=1, hi=6):
        return self.r.randint(lo, hi)

    def shape(self, nd=None, lo=1, hi=5):
        nd = self.r.randint(1, 3) if nd is None else nd
        return [self.r.randint(lo, hi) for _ in range(nd)]

    def sh(self, s):
        return ", ".join(map(str, s))

    def ctor(self, s, rg=False):
        f = self.r.choice(["torch.randn", "torch.ones", "torch.zeros", "torch.rand"])
        extra = ", requires_grad=True" if rg else ""
        return f"{f}({self.sh(s)}{extra})"

    def pre(self):
        return ["import torch"]

    # ---- shapes -------------------------------------------------------------------------------------
    def broadcast(self):
        nd = self.r.randint(1, 3)
        s1 = self.shape(nd, 2, 5)
        s2 = list(s1)
        k = self.r.randrange(nd)
        while s2[k] == s1[k] or s2[k] == 1:
            s2[k] = self.r.randint(2, 6)
        if self.r.random() < 0.3:
            s2 = [self.r.randint(1, 3)] + s2
        a, b, c = self.names(3)
        op = self.r.choice(["+", "-", "*", "/", "torch.add", "torch.mul", "torch.sub", "torch.maximum", "+=", ".add_", "torch.where", "**", "==", "<"])
        L = self.pre() + [f"{a} = {self.ctor(s1)}", f"{b} = {self.ctor(s2)}"]
        if op.startswith("torch.where"):
            L.append(f"{c} = torch.where({a} > 0, {a}, {b})")
        elif op.startswith("torch."):
            L.append(f"{c} = {op}({a}, {b})")
        elif op == "+=":
            L.append(f"{a} += {b}")
        elif op == ".add_":
            L.append(f"{a}.add_({b})")
        else:
            L.append(f"{c} = {a} {op} {b}")
        return L

    def matmul(self):
        n, k, k2, m = self.dim(1, 6), self.dim(2, 6), self.dim(2, 6), self.dim(1, 6)
        while k2 == k:
            k2 = self.dim(2, 7)
        a, b, c = self.names(3)
        kind = self.r.choice(["@", "mm", "matmul", "bmm", "mv", "dot", "@1d", "torch.mm", "linear", "@3d"])
        L = self.pre()
        if kind in ("@", "mm", "matmul", "torch.mm"):
            L += [f"{a} = {self.ctor([n, k])}", f"{b} = {self.ctor([k2, m])}"]
            L.append({"@": f"{c} = {a} @ {b}", "mm": f"{c} = {a}.mm({b})", "matmul": f"{c} = torch.matmul({a}, {b})",
                      "torch.mm": f"{c} = torch.mm({a}, {b})"}[kind])
        elif kind == "bmm":
            B = self.dim(1, 3)
            if self.r.random() < 0.5:
                L += [f"{a} = {self.ctor([B, n, k])}", f"{b} = {self.ctor([B, k2, m])}"]
            else:
                B2 = B + self.dim(1, 2)
                L += [f"{a} = {self.ctor([B, n, k])}", f"{b} = {self.ctor([B2, k, m])}"]
            L.append(f"{c} = torch.bmm({a}, {b})")
        elif kind == "mv":
            L += [f"{a} = {self.ctor([n, k])}", f"{b} = {self.ctor([k2])}", f"{c} = {a}.mv({b})"]
        elif kind == "dot":
            L += [f"{a} = {self.ctor([k])}", f"{b} = {self.ctor([k2])}", f"{c} = torch.dot({a}, {b})"]
        elif kind == "@1d":
            L += [f"{a} = {self.ctor([k])}", f"{b} = {self.ctor([k2, m])}", f"{c} = {a} @ {b}"]
        elif kind == "linear":
            L += [f"{a} = {self.ctor([n, k])}", f"{b} = {self.ctor([m, k2])}", "import torch.nn.functional as F", f"{c} = F.linear({a}, {b})"]
        else:
            B = self.dim(2, 3)
            L += [f"{a} = {self.ctor([B, n, k])}", f"{b} = {self.ctor([k2, m])}", f"{c} = {a} @ {b}"]
        return L

    def view(self):
        s = self.shape(self.r.randint(1, 3), 2, 5)
        numel = 1
        for d in s:
            numel *= d
        kind = self.r.choice(["view", "reshape", "view-1", "torch.reshape", "view-1-1"])
        t = [self.r.randint(2, 6) for _ in range(self.r.randint(1, 3))]
        p = 1
        for d in t:
            p *= d
        if p == numel:
            t[0] += 1
        a, b = self.names(2)
        L = self.pre() + [f"{a} = {self.ctor(s)}"]
        if kind == "view":
            L.append(f"{b} = {a}.view({self.sh(t)})")
        elif kind == "reshape":
            L.append(f"{b} = {a}.reshape({self.sh(t)})")
        elif kind == "torch.reshape":
            L.append(f"{b} = torch.reshape({a}, ({self.sh(t)},))")
        elif kind == "view-1":
            d = self.r.randint(2, 7)
            while numel % d == 0:
                d += 1
            L.append(f"{b} = {a}.view(-1, {d})")
        else:
            L.append(f"{b} = {a}.view(-1, -1)")
        return L

    def catstack(self):
        nd = self.r.randint(1, 3)
        s1 = self.shape(nd, 2, 4)
        s2 = list(s1)
        d = self.r.randrange(nd)
        kind = self.r.choice(["cat", "stack", "cat-dim", "cat-nd", "stack-dim", "cat-empty"])
        a, b, c = self.names(3)
        L = self.pre()
        if kind == "cat":
            o = (d + 1) % nd if nd > 1 else d
            s2[o] = s1[o] + self.r.randint(1, 3)
            if nd == 1:
                L += [f"{a} = {self.ctor(s1)}", f"{b} = {self.ctor([s1[0], 2])}", f"{c} = torch.cat([{a}, {b}], dim=0)"]
                return L
            L += [f"{a} = {self.ctor(s1)}", f"{b} = {self.ctor(s2)}", f"{c} = torch.cat(({a}, {b}), dim={d})"]
        elif kind == "stack":
            s2[d] += self.r.randint(1, 2)
            L += [f"{a} = {self.ctor(s1)}", f"{b} = {self.ctor(s2)}", f"{c} = torch.stack([{a}, {b}])"]
        elif kind == "cat-dim":
            L += [f"{a} = {self.ctor(s1)}", f"{b} = {self.ctor(s1)}", f"{c} = torch.cat([{a}, {b}], dim={nd + self.r.randint(0, 2)})"]
        elif kind == "stack-dim":
            L += [f"{a} = {self.ctor(s1)}", f"{b} = {self.ctor(s1)}", f"{c} = torch.stack([{a}, {b}], dim={nd + 1 + self.r.randint(0, 2)})"]
        elif kind == "cat-nd":
            L += [f"{a} = {self.ctor(s1)}", f"{b} = {self.ctor(s1 + [2])}", f"{c} = torch.cat([{a}, {b}])"]
        else:
            L += [f"{c} = torch.{self.r.choice(['cat', 'stack'])}([])"]
        return L

    def baddim(self):
        s = self.shape(self.r.randint(1, 3), 2, 4)
        nd = len(s)
        bad = self.r.choice([nd, nd + 1, nd + 2, -nd - 1, -nd - 2])
        a, b = self.names(2)
        op = self.r.choice(["sum(dim={d})", "mean({d})", "softmax(dim={d})", "transpose(0, {d})", "unsqueeze({d2})", "squeeze({d})",
                            "argmax(dim={d})", "max(dim={d})", "size({d})", "cumsum({d})", "flatten({d})", "permute({perm})",
                            "log_softmax({d})", "std(dim={d})", "norm(dim={d})", "min({d})", "amax({d})", "prod({d})", "var({d})"])
        d2 = nd + 1 + self.r.randint(0, 1) if bad > 0 else -nd - 2 - self.r.randint(0, 1)
        perm = list(range(nd))
        if self.r.random() < 0.5:
            perm[-1] = bad if bad >= 0 else nd
        else:
            perm = perm + [nd]
        call = op.format(d=bad, d2=d2, perm=", ".join(map(str, perm)))
        L = self.pre() + [f"{a} = {self.ctor(s)}"]
        if self.r.random() < 0.3 and not call.startswith(("size", "permute", "flatten")):
            fn, args = call.split("(", 1)
            L.append(f"{b} = torch.{fn}({a}, {args}")
        else:
            L.append(f"{b} = {a}.{call}")
        return L

    def index(self):
        s = self.shape(self.r.randint(1, 3), 2, 5)
        a, b = self.names(2)
        L = self.pre() + [f"{a} = {self.ctor(s)}"]
        kind = self.r.choice(["int", "neg", "second", "toomany", "set", "tensoridx", "float", "list"])
        if kind == "int":
            L.append(f"{b} = {a}[{s[0] + self.r.randint(0, 3)}]")
        elif kind == "neg":
            L.append(f"{b} = {a}[-{s[0] + self.r.randint(1, 3)}]")
        elif kind == "second" and len(s) > 1:
            L.append(f"{b} = {a}[0, {s[1] + self.r.randint(0, 2)}]")
        elif kind == "toomany":
            L.append(f"{b} = {a}[{', '.join(['0'] * (len(s) + 1))}]")
        elif kind == "set":
            L.append(f"{a}[{s[0] + self.r.randint(0, 3)}] = 1.0")
        elif kind == "tensoridx":
            L.append(f"{b} = {a}[torch.tensor([0, {s[0] + self.r.randint(0, 2)}])]")
        elif kind == "float":
            L.append(f"{b} = {a}[{self.r.randint(0, s[0] - 1)}.0]")
        else:
            L.append(f"{b} = {a}[[0, {s[0] + self.r.randint(0, 2)}]]")
        return L

    # ---- autograd -----------------------------------------------------------------------------------
    def backward(self):
        a, b, c = self.names(3)
        s = self.shape(self.r.randint(1, 2), 2, 4)
        kind = self.r.choice(["nonscalar", "twice", "nograd", "leafinplace", "version", "gradshape", "nograd_ctx", "detach",
                              "intgrad", "setrg_nonleaf", "numpy", "twice_fn", "grad_none_use", "retain_ok", "int_tensor_rg_"])
        L = self.pre()
        if kind == "nonscalar":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = {a} {self.r.choice(['*', '+', '-'])} {self.r.randint(2, 5)}", f"{b}.backward()"]
        elif kind == "twice":
            fn = self.r.choice(["exp", "sigmoid", "tanh", "sin", "relu", "log", "sqrt"])
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = {a}.{fn}().sum()", f"{b}.backward()", f"{b}.backward()"]
        elif kind == "twice_fn":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = ({a} * {a}).mean()", f"{b}.backward(retain_graph=True)", f"{b}.backward()", f"{c} = {a}.grad", f"{b}.backward()"]
        elif kind == "nograd":
            L += [f"{a} = {self.ctor(s)}", f"{b} = ({a} * 2).sum()", f"{b}.backward()"]
        elif kind == "nograd_ctx":
            L += [f"{a} = {self.ctor(s, True)}", "with torch.no_grad():", f"    {b} = ({a} ** 2).sum()", f"{b}.backward()"]
        elif kind == "detach":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = {a}.detach().sum()", f"{b}.backward()"]
        elif kind == "leafinplace":
            op = self.r.choice(["+= 1", "*= 2", "-= 0.5", "/= 3", ".add_(1)", ".mul_(2)", ".zero_()", ".fill_(1.0)", "[0] = 1.0", ".exp_()", ".relu_()", ".clamp_(0, 1)"])
            stmt = f"{a} {op}" if op[0] in "+-*/" else f"{a}{op}"
            L += [f"{a} = {self.ctor(s, True)}", stmt]
        elif kind == "version":
            fn = self.r.choice(["exp", "sigmoid", "tanh", "pow2", "mul_self", "relu"])
            expr = {"exp": f"{a}.exp()", "sigmoid": f"torch.sigmoid({a})", "tanh": f"{a}.tanh()", "pow2": f"{a} ** 2",
                    "mul_self": f"{a} * {a}", "relu": f"{a}.relu()"}[fn]
            mod = self.r.choice(["+= 1", ".add_(1)", ".mul_(2)", "[0] = 0.0", ".zero_()"])
            L += [f"w0 = {self.ctor(s, True)}", f"{a} = w0 * 2"]
            if fn in ("exp", "sigmoid", "tanh"):
                # their backward saves the result: modify the output
                L += [f"{b} = {expr}", (f"{b} {mod}" if mod[0] in "+-*/" else f"{b}{mod}"), f"{b}.sum().backward()"]
            else:
                L += [f"{b} = {expr}", (f"{a} {mod}" if mod[0] in "+-*/" else f"{a}{mod}"), f"{b}.sum().backward()"]
        elif kind == "gradshape":
            s2 = list(s)
            s2[0] += 1
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = {a} * 3", f"{b}.backward(torch.ones({self.sh(s2)}))"]
        elif kind == "intgrad":
            L += [f"{a} = torch.{self.r.choice(['arange', 'tensor'])}({'5' if self.r.random() < .5 else '[1, 2, 3]'}, requires_grad=True)"]
        elif kind == "int_tensor_rg_":
            L += [f"{a} = torch.tensor([{self.r.randint(0, 9)}, {self.r.randint(0, 9)}])", f"{a}.requires_grad_()"]
        elif kind == "setrg_nonleaf":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = {a} * 2", f"{b}.requires_grad = False"]
        elif kind == "numpy":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = {a}.numpy()"]
        elif kind == "grad_none_use":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = {a}.grad * 2"]
        else:
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = ({a} * {a}).sum()", f"{b}.backward(retain_graph=True)", f"{b}.backward()", f"{c} = {a}.grad.shape[{len(s) + 1}]"]
        return L

    def item(self):
        a, b = self.names(2)
        s = self.shape(self.r.randint(1, 2), 2, 4)
        kind = self.r.choice(["item", "float", "int", "bool", "ifcond", "tolist_idx", "index_int"])
        L = self.pre() + [f"{a} = {self.ctor(s)}"]
        if kind == "item":
            L.append(f"{b} = {a}.item()")
        elif kind == "float":
            L.append(f"{b} = float({a})")
        elif kind == "int":
            L.append(f"{b} = int({a})")
        elif kind == "bool":
            L.append(f"{b} = bool({a} > 0)")
        elif kind == "ifcond":
            L += [f"if {a} > 0:", f"    {b} = 1"]
        elif kind == "tolist_idx":
            L.append(f"{b} = {a}.tolist()[{s[0] + 1}]")
        else:
            L.append(f"{b} = range({a})")
        return L

    # ---- nn -----------------------------------------------------------------------------------------
    def nn(self):
        L = self.pre() + ["import torch.nn as nn", "import torch.nn.functional as F"]
        kind = self.r.choice(["linear", "linear_seq", "conv", "conv_fn", "ce_dtype", "ce_shape", "ce_range", "mse", "nll", "bce",
                              "conv_3d", "module_call", "linear_int", "pool", "bn", "ce_3d"])
        n, i, o = self.dim(1, 5), self.dim(2, 8), self.dim(1, 6)
        i2 = i + self.r.choice([-1, 1, 2])
        m, x, y = self.r.sample(["model", "layer", "fc", "net", "lin", "m"], 1) + self.names(2)
        if kind == "linear":
            L += [f"{m} = nn.Linear({i}, {o})", f"{x} = torch.randn({n}, {i2})", f"{y} = {m}({x})"]
        elif kind == "linear_seq":
            h = self.dim(2, 6)
            L += [f"{m} = nn.Sequential(nn.Linear({i}, {h}), nn.ReLU(), nn.Linear({h + 1}, {o}))", f"{x} = torch.randn({n}, {i})", f"{y} = {m}({x})"]
        elif kind == "linear_int":
            L += [f"{m} = nn.Linear({i}, {o})", f"{x} = torch.arange({n * i}).view({n}, {i})", f"{y} = {m}({x})"]
        elif kind == "conv":
            c, c2, k = self.dim(1, 4), self.dim(1, 4), self.r.choice([1, 3])
            while c2 == c:
                c2 = self.dim(1, 5)
            L += [f"{m} = nn.Conv2d({c}, {self.dim(1, 4)}, {k})", f"{x} = torch.randn({n}, {c2}, 6, 6)", f"{y} = {m}({x})"]
        elif kind == "conv_3d":
            c = self.dim(1, 3)
            L += [f"{m} = nn.Conv2d({c}, 2, 3)", f"{x} = torch.randn({c}, 6)", f"{y} = {m}({x})"]
        elif kind == "conv_fn":
            c, c2 = self.dim(1, 4), self.dim(1, 4)
            while c2 == c:
                c2 = self.dim(1, 5)
            big = self.r.random() < 0.3
            L += [f"{x} = torch.randn({n}, {c}, {2 if big else 8}, {2 if big else 8})", f"w = torch.randn({self.dim(1, 4)}, {c if big else c2}, 3, 3)", f"{y} = F.conv2d({x}, w)"]
        elif kind == "ce_dtype":
            L += [f"{x} = torch.randn({n}, {o + 1})", f"{y} = torch.{self.r.choice(['ones', 'zeros', 'rand'])}({n})", f"loss = F.cross_entropy({x}, {y})"]
        elif kind == "ce_shape":
            L += [f"{x} = torch.randn({n}, {o + 1})", f"{y} = torch.zeros({n + self.dim(1, 2)}, dtype=torch.long)", f"loss = nn.CrossEntropyLoss()({x}, {y})"]
        elif kind == "ce_3d":
            L += [f"{x} = torch.randn({n}, {o + 1})", f"{y} = torch.zeros({n}, {o + 1}, dtype=torch.long)", f"loss = F.cross_entropy({x}, {y})"]
        elif kind == "ce_range":
            L += [f"{x} = torch.randn({n}, {o + 1})", f"{y} = torch.tensor([{o + 1 + self.dim(0, 3)}] * {n})", f"loss = F.cross_entropy({x}, {y})"]
        elif kind == "mse":
            s1 = [n, 1] if self.r.random() < 0.5 else [n, o]
            s2 = [n] if self.r.random() < 0.5 else [n + self.dim(1, 2)]
            L += [f"{x} = torch.randn({self.sh(s1)})", f"{y} = torch.randn({self.sh(s2)})", f"loss = {self.r.choice(['F.mse_loss', 'nn.MSELoss()'])}({x}, {y})", "v = loss.item()"]
        elif kind == "nll":
            L += [f"{x} = torch.randn({n}, {o + 1}).log_softmax(1)", f"{y} = torch.zeros({n}, dtype=torch.{self.r.choice(['float', 'int32', 'long'])})", f"loss = F.nll_loss({x}, {y}[:{max(1, n - 1)}])"]
        elif kind == "bce":
            L += [f"{x} = torch.sigmoid(torch.randn({n}, 1))", f"{y} = torch.ones({n})", f"loss = F.binary_cross_entropy({x}, {y})"]
        elif kind == "pool":
            L += [f"{x} = torch.randn(1, 1, 2, 2)", f"{y} = F.max_pool2d({x}, {self.dim(3, 5)})"]
        elif kind == "bn":
            c = self.dim(2, 5)
            L += [f"{m} = nn.BatchNorm2d({c})", f"{x} = torch.randn(2, {c + 1}, 4, 4)", f"{y} = {m}({x})"]
        else:
            L += [f"{m} = nn.Linear({i}, {o})", f"{y} = {m}()"]
        return L

    # ---- Python -------------------------------------------------------------------------------------
    def name(self):
        a, b = self.names(2)
        kind = self.r.choice(["undef", "typo_torch", "typo_attr", "typo_local", "module_attr", "nn_attr", "F_attr", "noimport", "before_def", "del"])
        L = self.pre()
        if kind == "undef":
            L += [f"{a} = torch.ones(3)", f"{b} = {a} + {self.r.choice(['bias', 'weight', 'lr', 'scale', 'alpha'])}"]
        elif kind == "typo_torch":
            good = self.r.choice(list(TORCH_TYPOS))
            L += [f"{a} = torch.{self.r.choice(TORCH_TYPOS[good])}(3)"]
        elif kind == "typo_attr":
            good = self.r.choice(list(MISSPELL))
            bad = self.r.choice(MISSPELL[good])
            L += [f"{a} = torch.ones(2, 3, requires_grad=True)", f"{b} = {a}.{bad}" + ("()" if self.r.random() < 0.5 else "")]
        elif kind == "typo_local":
            L += [f"{a}_value = torch.ones(3)", f"{b} = {a}_valeu * 2"]
        elif kind == "module_attr":
            L += [f"{a} = torch.{self.r.choice(['foo', 'Linear', 'relu6x', 'softmaxx', 'mse_loss', 'SGD'])}"]
        elif kind == "nn_attr":
            L += ["import torch.nn as nn", f"{a} = nn.{self.r.choice(['Liner', 'linear', 'Conv', 'ReLu', 'CrossEntropy', 'Sequencial', 'relu'])}"]
        elif kind == "F_attr":
            L += ["import torch.nn.functional as F", f"{a} = F.{self.r.choice(['softmaxx', 'crossentropy', 'Relu', 'mse', 'ReLU'])}"]
        elif kind == "noimport":
            L = [f"{a} = {self.r.choice(['torch', 'np', 'nn', 'F'])}.ones(3)"]
        elif kind == "before_def":
            L += [f"{a} = f(1)", "def f(v):", "    return v + 1"]
        else:
            L += [f"{a} = torch.ones(2)", f"del {a}", f"{b} = {a} * 2"]
        return L

    def typeerr(self):
        a, b = self.names(2)
        kind = self.r.choice(["argcount", "argcount2", "kw", "str_add", "call_tensor", "torch_bad_arg", "method_args", "len_int",
                              "none_call", "sub_str", "linear_args", "list_tensor", "idx_str", "missing_arg", "int_call", "dup_kw"])
        L = self.pre()
        if kind == "argcount":
            L += ["def f(p, q):", "    return p + q", f"{a} = f({', '.join(['1'] * self.r.choice([1, 3, 4]))})"]
        elif kind == "argcount2":
            L += ["def g(p):", "    return p * 2", f"{a} = g()"]
        elif kind == "kw":
            L += ["def f(p, q=2):", "    return p + q", f"{a} = f(1, {self.r.choice(['r', 'qq', 'p'])}=3)"]
        elif kind == "dup_kw":
            L += ["def f(p, q=2):", "    return p + q", f"{a} = f(p=1, p=2)"]
        elif kind == "str_add":
            L += [f"{a} = 'loss: ' + {self.r.choice(['1', '2.5', 'torch.ones(1).item()', 'None'])}"]
        elif kind == "call_tensor":
            L += [f"{a} = torch.ones(3)", f"{b} = {a}(2)"]
        elif kind == "torch_bad_arg":
            L += [f"{a} = torch.ones({self.r.choice(['2.5', chr(39) + 'a' + chr(39), '[2, 3.0]', 'None'])})"]
        elif kind == "method_args":
            L += [f"{a} = torch.ones(2, 3)", f"{b} = {a}.{self.r.choice(['sum', 'mean'])}(dim={self.r.choice(['1.0', chr(39) + 'x' + chr(39)])})"]
        elif kind == "len_int":
            L += [f"{a} = len({self.r.choice(['5', '2.0', 'None', 'torch.tensor(3.0)'])})"]
        elif kind == "none_call":
            L += [f"{a} = None", f"{b} = {a}.{self.r.choice(['sum', 'shape', 'grad', 'backward'])}"]
        elif kind == "sub_str":
            L += [f"{a} = torch.ones(2)", f"{b} = {a} - {self.r.choice([chr(39) + '1' + chr(39), 'None', '[1, 2]'])}"]
        elif kind == "linear_args":
            L += ["import torch.nn as nn", f"{a} = nn.Linear({self.r.choice(['3', 'in_features=3', '3.0, 2'])})"]
        elif kind == "list_tensor":
            L += [f"{a} = [torch.ones(2), torch.ones(2)]", f"{b} = {a}.{self.r.choice(['sum()', 'shape', 'backward()', 'mean()'])}"]
        elif kind == "idx_str":
            L += [f"{a} = [1, 2, 3]", f"{b} = {a}[{self.r.choice([chr(39) + 'x' + chr(39), '1.0', '5'])}]"]
        elif kind == "missing_arg":
            L += [f"{a} = torch.{self.r.choice(['matmul', 'cat', 'stack', 'mm', 'add', 'reshape'])}(torch.ones(2, 2))"]
        else:
            L += [f"{a} = 3", f"{b} = {a}(2)"]
        return L

    def arith(self):
        a, b = self.names(2)
        kind = self.r.choice(["div0", "floordiv0", "mod0", "divf0", "intlist", "dict", "unpack", "unpack2", "list_idx", "int_str", "float_str", "assert", "raise", "pow0"])
        L = self.pre()
        n = self.r.randint(1, 9)
        if kind == "div0":
            L += [f"{a} = {n}", f"{b} = {a} / 0"]
        elif kind == "floordiv0":
            L += [f"{a} = {n}", f"{b} = {a} // 0"]
        elif kind == "mod0":
            L += [f"{a} = {n}", f"{b} = {a} % 0"]
        elif kind == "divf0":
            L += [f"{a} = {n}.5", f"{b} = {a} / 0.0"]
        elif kind == "pow0":
            L += [f"{a} = 0.0 ** -{n}"]
        elif kind == "intlist":
            L += [f"{a} = [1, 2] * 1.5"]
        elif kind == "dict":
            L += [f"{a} = {{'lr': 0.1}}", f"{b} = {a}['{self.r.choice(['momentum', 'LR', 'epochs'])}']"]
        elif kind == "unpack":
            L += [f"{a}, {b} = {self.r.choice(['(1, 2, 3)', '[1]', 'torch.ones(3)', 'torch.ones(2, 3).shape', '5'])}"]
        elif kind == "unpack2":
            L += [f"for {a}, {b} in [(1, 2, 3)]:", "    pass"]
        elif kind == "list_idx":
            L += [f"{a} = [1, 2, 3]", f"{b} = {a}[{self.r.randint(3, 7)}]"]
        elif kind == "int_str":
            L += [f"{a} = int('{self.r.choice(['abc', '1.5', ''])}')"]
        elif kind == "float_str":
            L += [f"{a} = float('{self.r.choice(['abc', '1,5'])}')"]
        elif kind == "assert":
            L += [f"{a} = torch.ones(2, 3)", f"assert {a}.shape == (3, 2), 'bad shape'"]
        else:
            L += [f"raise ValueError('expected {n} epochs')"]
        return L

    def syntax(self):
        a, b = self.names(2)
        kind = self.r.choice(["colon_if", "colon_for", "colon_def", "paren", "bracket", "indent", "unindent", "noindent", "eq_in_if",
                              "assign_call", "bad_op", "unterminated_str", "missing_comma", "keyword_name", "else_alone", "print2", "lambda_bad",
                              "dangling_op", "extra_close", "tab_mix", "return_outside", "walrus", "double_star", "semicolon_block"])
        L = self.pre()
        if kind == "colon_if":
            L += [f"{a} = torch.ones(2)", f"if {a}.sum() > 0", f"    {b} = 1"]
        elif kind == "colon_for":
            L += [f"for {a} in range(3)", "    pass"]
        elif kind == "colon_def":
            L += [f"def f({a})", f"    return {a}"]
        elif kind == "paren":
            L += [f"{a} = torch.ones(2, 3", f"{b} = {a} * 2"]
        elif kind == "bracket":
            L += [f"{a} = torch.tensor([1.0, 2.0)"]
        elif kind == "indent":
            L += [f"{a} = 1", f"    {b} = 2"]
        elif kind == "unindent":
            L += ["if True:", f"    {a} = 1", f"  {b} = 2"]
        elif kind == "noindent":
            L += [f"for {a} in range(2):", f"{b} = {a}"]
        elif kind == "eq_in_if":
            L += [f"{a} = 1", f"if {a} = 1:", "    pass"]
        elif kind == "assign_call":
            L += [f"torch.ones(2) = {a}"]
        elif kind == "bad_op":
            L += [f"{a} = 2 +* 3"]
        elif kind == "unterminated_str":
            L += [f"print('loss {a})"]
        elif kind == "missing_comma":
            L += [f"{a} = torch.tensor([1.0 2.0])"]
        elif kind == "keyword_name":
            L += [f"{self.r.choice(['lambda', 'class', 'def', 'in', 'for'])} = torch.ones(2)"]
        elif kind == "else_alone":
            L += [f"{a} = 1", "else:", "    pass"]
        elif kind == "print2":
            L += [f"print '{a}'"]
        elif kind == "lambda_bad":
            L += [f"{a} = lambda: return 1"]
        elif kind == "dangling_op":
            L += [f"{a} = 1 +"]
        elif kind == "extra_close":
            L += [f"{a} = torch.ones(2))"]
        elif kind == "tab_mix":
            L += ["if True:", f"        {a} = 1", f"\t{b} = 2"]
        elif kind == "return_outside":
            L += [f"{a} = 1", f"return {a}"]
        elif kind == "walrus":
            L += [f"{a} := 1"]
        elif kind == "double_star":
            L += [f"{a} = 2 ** ** 3"]
        else:
            L += [f"if True: {a} = 1; for i in range(2): pass"]
        return L

    # ---- more torch API misuse --------------------------------------------------------------------------
    def tensorapi(self):
        a, b = self.names(2)
        s = self.shape(self.r.randint(2, 3), 2, 4)
        L = self.pre()
        kind = self.r.choice(["noncontig_view", "neg_size", "ragged", "str_tensor", "permute_count", "unsqueeze_range", "expand_bad",
                              "fn_not_tensor", "cat_tensor", "stack_mixed", "view_str", "zeros_float", "grad_none_zero", "max_dim",
                              "squeeze_dim", "repeat_few", "tensor_none", "flatten_bad", "T_method", "size_call", "dtype_mix_cat",
                              "where_shape", "masked_fill_shape", "gather", "split", "chunk0", "arange_bad", "linspace"])
        if kind == "noncontig_view":
            L += [f"{a} = {self.ctor(s)}", f"{b} = {a}.{self.r.choice(['t()', 'transpose(0, 1)', 'permute(1, 0' + (', 2' if len(s) == 3 else '') + ')'])}.view(-1)"]
            if len(s) == 3 and "t()" in L[-1]:
                L[-1] = f"{b} = {a}.transpose(0, 1).view(-1)"
        elif kind == "neg_size":
            L += [f"{a} = torch.{self.r.choice(['zeros', 'ones', 'randn', 'empty'])}({self.r.randint(1, 3)}, -{self.r.randint(1, 3)})"]
        elif kind == "ragged":
            L += [f"{a} = torch.tensor([[1.0, 2.0], [3.0{', 4.0, 5.0' if self.r.random() < .5 else ''}]])"]
        elif kind == "str_tensor":
            L += [f"{a} = torch.tensor({self.r.choice([chr(39) + 'abc' + chr(39), '[1, ' + chr(39) + 'a' + chr(39) + ']', 'None', '[[1, 2], 3]'])})"]
        elif kind == "permute_count":
            L += [f"{a} = {self.ctor(s)}", f"{b} = {a}.permute({', '.join(map(str, range(len(s) - 1)))})"]
        elif kind == "unsqueeze_range":
            L += [f"{a} = {self.ctor(s)}", f"{b} = {a}.unsqueeze({len(s) + 2})"]
        elif kind == "expand_bad":
            L += [f"{a} = {self.ctor([s[0], 1])}", f"{b} = {a}.expand({s[0] + 1}, 3)"]
        elif kind == "fn_not_tensor":
            fn = self.r.choice(["torch.sigmoid", "torch.relu", "torch.exp", "F.relu", "F.softmax", "torch.sum", "torch.tanh", "torch.log", "F.sigmoid", "torch.abs"])
            arg = self.r.choice(["[1.0, 2.0]", "3", "2.5", "None", "(1, 2)"])
            if fn.startswith("F."):
                L.append("import torch.nn.functional as F")
            L += [f"{a} = {fn}({arg}{', dim=0' if 'softmax' in fn else ''})"]
        elif kind == "cat_tensor":
            L += [f"{a} = {self.ctor(s)}", f"{b} = torch.{self.r.choice(['cat', 'stack'])}({a})"]
        elif kind == "stack_mixed":
            L += [f"{a} = {self.ctor(s)}", f"{b} = torch.{self.r.choice(['cat', 'stack'])}([{a}, {self.r.choice(['1.0', '[1, 2]', 'None'])}])"]
        elif kind == "view_str":
            L += [f"{a} = {self.ctor(s)}", f"{b} = {a}.{self.r.choice(['view', 'reshape'])}({self.r.choice([chr(39) + '-1' + chr(39), '2.0, -1', 'None'])})"]
        elif kind == "zeros_float":
            L += [f"{a} = torch.{self.r.choice(['zeros', 'ones', 'randn'])}({self.r.choice(['2.0', '3, 2.5', '(2, 1.5)'])})"]
        elif kind == "grad_none_zero":
            L += [f"{a} = {self.ctor(s, True)}", f"{a}.grad.zero_()"]
        elif kind == "max_dim":
            L += [f"{a} = {self.ctor(s)}", f"{b}, idx = torch.{self.r.choice(['max', 'min'])}({a}, {len(s) + self.r.randint(0, 2)})"]
        elif kind == "squeeze_dim":
            L += [f"{a} = {self.ctor(s)}", f"{b} = {a}.squeeze({len(s) + 1})"]
        elif kind == "repeat_few":
            L += [f"{a} = {self.ctor(s)}", f"{b} = {a}.repeat(2)"]
        elif kind == "tensor_none":
            L += [f"{a} = None", f"{b} = {a} + torch.ones(2)"]
        elif kind == "flatten_bad":
            L += [f"{a} = {self.ctor(s)}", f"{b} = {a}.flatten({len(s) - 1}, 0)"]
        elif kind == "T_method":
            L += [f"{a} = {self.ctor(s)}", f"{b} = {a}.T()"]
        elif kind == "size_call":
            L += [f"{a} = {self.ctor(s)}", f"{b} = {a}.shape()"]
        elif kind == "dtype_mix_cat":
            L += [f"{a} = torch.ones(2, dtype=torch.long)", f"{b} = torch.cat([{a}, torch.ones(2)])", f"print({b}.dtype)", f"{a}.add_(torch.ones(2) * 0.5)"]
        elif kind == "where_shape":
            L += [f"{a} = {self.ctor([2, 3])}", f"{b} = torch.where({a} > 0, {a}, torch.zeros(4))"]
        elif kind == "masked_fill_shape":
            L += [f"{a} = {self.ctor([2, 3])}", f"{b} = {a}.masked_fill(torch.ones(3, 2) > 0, 0.0)"]
        elif kind == "gather":
            L += [f"{a} = {self.ctor([2, 3])}", f"{b} = {a}.gather(1, torch.tensor([[0], [5]]))"]
        elif kind == "split":
            L += [f"{a} = {self.ctor(s)}", f"{b} = {a}.split(0)"]
        elif kind == "chunk0":
            L += [f"{a} = {self.ctor(s)}", f"{b} = {a}.chunk(0)"]
        elif kind == "arange_bad":
            L += [f"{a} = torch.arange({self.r.choice(['5, 1', '0, 5, 0', '1, 5, -1'])})"]
        else:
            L += [f"{a} = torch.linspace(0, 1)"]
        return L

    def module_class(self):
        L = self.pre() + ["import torch.nn as nn"]
        kind = self.r.choice(["no_super", "no_self", "no_forward", "wrong_layer_dim", "forward_typo", "param_assign", "call_forward_args", "super_late"])
        n = self.dim(2, 5)
        if kind == "no_super":
            L += ["class Net(nn.Module):", "    def __init__(self):", f"        self.fc = nn.Linear({n}, 1)", "", "net = Net()"]
        elif kind == "super_late":
            L += ["class Net(nn.Module):", "    def __init__(self):", f"        self.w = nn.Parameter(torch.ones({n}))", "        super().__init__()", "", "net = Net()"]
        elif kind == "no_self":
            L += ["class Net(nn.Module):", "    def __init__(self):", "        super().__init__()", f"        self.fc = nn.Linear({n}, 1)",
                  "    def forward(x):", "        return self.fc(x)", "", "net = Net()", f"y = net(torch.ones(1, {n}))"]
        elif kind == "no_forward":
            L += ["class Net(nn.Module):", "    def __init__(self):", "        super().__init__()", f"        self.fc = nn.Linear({n}, 1)", "", "net = Net()", f"y = net(torch.ones(1, {n}))"]
        elif kind == "forward_typo":
            L += ["class Net(nn.Module):", "    def __init__(self):", "        super().__init__()", f"        self.fc = nn.Linear({n}, 1)",
                  "    def foward(self, x):", "        return self.fc(x)", "", "net = Net()", f"y = net(torch.ones(1, {n}))"]
        elif kind == "wrong_layer_dim":
            h = self.dim(2, 6)
            L += ["class Net(nn.Module):", "    def __init__(self):", "        super().__init__()", f"        self.fc1 = nn.Linear({n}, {h})",
                  f"        self.fc2 = nn.Linear({h + 1}, 1)", "    def forward(self, x):", "        x = torch.relu(self.fc1(x))", "        return self.fc2(x)",
                  "", "net = Net()", f"y = net(torch.randn(3, {n}))"]
        elif kind == "param_assign":
            L += ["class Net(nn.Module):", "    def __init__(self):", "        super().__init__()", f"        self.w = nn.Parameter(torch.ones({n}))",
                  "", "net = Net()", f"net.w = torch.zeros({n})"]
        else:
            L += ["class Net(nn.Module):", "    def __init__(self):", "        super().__init__()", f"        self.fc = nn.Linear({n}, 1)",
                  "    def forward(self, x):", "        return self.fc(x)", "", "net = Net()", f"y = net(torch.ones(1, {n}), torch.ones(1))"]
        return L

    def optim(self):
        L = self.pre() + ["import torch.nn as nn", "import torch.optim as optim"]
        n = self.dim(2, 5)
        L.append(f"model = nn.Linear({n}, 1)")
        kind = self.r.choice(["model_not_params", "params_not_called", "no_lr", "neg_lr", "typo", "step_args", "empty", "tensor_param", "zero_grad_typo", "adam_betas"])
        if kind == "model_not_params":
            L.append(f"opt = optim.{self.r.choice(['SGD', 'Adam'])}(model, lr=0.1)")
        elif kind == "params_not_called":
            L.append(f"opt = optim.{self.r.choice(['SGD', 'Adam'])}(model.parameters, lr=0.1)")
        elif kind == "no_lr":
            L.append("opt = optim.SGD(model.parameters())")
        elif kind == "neg_lr":
            L.append(f"opt = optim.{self.r.choice(['SGD', 'Adam'])}(model.parameters(), lr=-0.1)")
        elif kind == "typo":
            L.append(f"opt = optim.{self.r.choice(['sgd', 'adam', 'ADAM', 'SDG'])}(model.parameters(), lr=0.1)")
        elif kind == "step_args":
            L += ["opt = optim.SGD(model.parameters(), lr=0.1)", "opt.step(0.1)"]
        elif kind == "empty":
            L += ["opt = optim.SGD([], lr=0.1)"]
        elif kind == "tensor_param":
            L += [f"opt = optim.SGD(torch.ones({n}, requires_grad=True), lr=0.1)"]
        elif kind == "zero_grad_typo":
            L += ["opt = optim.SGD(model.parameters(), lr=0.1)", f"opt.{self.r.choice(['zero_grads', 'zerograd', 'zero'])}()"]
        else:
            L += ["opt = optim.Adam(model.parameters(), lr=0.1, betas=(0.9, 1.5))"]
        return L

    def pyerr(self):
        a, b = self.names(2)
        L = self.pre()
        kind = self.r.choice(["iter_int", "append2", "str_idx", "none_attr", "fmt", "dict_attr", "list_call", "tuple_assign", "recursion",
                              "global_unbound", "str_mul", "sorted_mix", "max_empty", "zip_strict", "float_int_call", "method_on_module", "import_bad", "from_import_bad"])
        if kind == "iter_int":
            L += [f"for {a} in {self.r.randint(3, 9)}:", "    pass"]
        elif kind == "append2":
            L += [f"{a} = []", f"{a}.append(1, 2)"]
        elif kind == "str_idx":
            L += [f"{a} = 'loss'", f"{a}[0] = 'L'"]
        elif kind == "none_attr":
            L += ["def f():", "    pass", f"{a} = f()", f"{b} = {a}.{self.r.choice(['item()', 'shape', 'backward()'])}"]
        elif kind == "fmt":
            L += [f"{a} = torch.ones(3)", f"print(f'{{{a}:.2f}}')"]
        elif kind == "dict_attr":
            L += [f"{a} = {{'lr': 0.1}}", f"{b} = {a}.lr"]
        elif kind == "list_call":
            L += [f"{a} = [1, 2]", f"{b} = {a}(0)"]
        elif kind == "tuple_assign":
            L += [f"{a} = (1, 2)", f"{a}[0] = 5"]
        elif kind == "recursion":
            L += ["def f(n):", "    return f(n + 1)", f"{a} = f(0)"]
        elif kind == "global_unbound":
            L += ["count = 0", "def inc():", "    count += 1", "inc()"]
        elif kind == "str_mul":
            L += [f"{a} = 'ab' * 2.0"]
        elif kind == "sorted_mix":
            L += [f"{a} = sorted([1, 'a'])"]
        elif kind == "max_empty":
            L += [f"{a} = max([])"]
        elif kind == "zip_strict":
            L += [f"{a}, {b} = zip([1, 2], [3, 4])"]
        elif kind == "float_int_call":
            L += [f"{a} = int(3.7)", f"{b} = {a}.item()"]
        elif kind == "method_on_module":
            L += [f"{a} = torch.ones(2)", f"{b} = torch.item({a})"]
        elif kind == "import_bad":
            L += [f"import {self.r.choice(['numpy', 'tensorflow', 'torchvison', 'matplotlib.pyplot'])}"]
        else:
            L += [f"from torch import {self.r.choice(['Linear', 'relu6', 'nnn', 'optimizer'])}"]
        return L

    def autograd2(self):
        a, b, c = self.names(3)
        s = self.shape(self.r.randint(1, 2), 2, 4)
        L = self.pre()
        kind = self.r.choice(["rg_nonleaf", "rg_method_nonleaf", "grad_api_nonscalar", "grad_api_unused", "grad_api_norg", "int_inplace_float",
                              "retain_grad_leafless", "detach_then_backward", "backward_int", "grad_of_int", "inplace_int_rg", "set_grad_shape",
                              "backward_after_nograd_step", "grad_twice", "create_graph"])
        if kind == "rg_nonleaf":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = {a} * 2", f"{b}.requires_grad = {self.r.choice(['False', 'True'])}"]
        elif kind == "rg_method_nonleaf":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = {a} * 2", f"{b}.requires_grad_({self.r.choice(['False', 'True'])})"]
        elif kind == "grad_api_nonscalar":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = {a} ** 2", f"g = torch.autograd.grad({b}, {a})"]
        elif kind == "grad_api_unused":
            L += [f"{a} = {self.ctor(s, True)}", f"{c} = {self.ctor(s, True)}", f"{b} = ({a} * 3).sum()", f"g = torch.autograd.grad({b}, [{a}, {c}])"]
        elif kind == "grad_api_norg":
            L += [f"{a} = {self.ctor(s)}", f"{b} = ({a} * 3).sum()", f"g = torch.autograd.grad({b}, {a})"]
        elif kind == "int_inplace_float":
            L += [f"{a} = torch.arange({self.r.randint(2, 6)})", f"{a} {self.r.choice(['+=', '*=', '/='])} {self.r.choice(['0.5', '1.5', 'torch.rand(1)'])}"]
        elif kind == "retain_grad_leafless":
            L += [f"{a} = {self.ctor(s)}", f"{a}.retain_grad()"]
        elif kind == "detach_then_backward":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = ({a} * 2).detach()", f"{b}.requires_grad_()", f"({b} * {a}).sum().backward()", f"print({a}.grad)", f"{c} = {b}.grad.shape"]
        elif kind == "backward_int":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = ({a} * 2).sum()", f"{b}.backward({self.r.choice(['1', '2.0', 'torch.tensor(1)'])})"]
        elif kind == "grad_of_int":
            L += [f"{a} = torch.tensor({self.r.randint(1, 9)}.0, requires_grad=True)", f"{b} = ({a} * 2).long()", f"{b}.backward()"]
        elif kind == "inplace_int_rg":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = {a}.argmax()", f"{b}.backward()"]
        elif kind == "set_grad_shape":
            L += [f"{a} = {self.ctor(s, True)}", f"{a}.grad = torch.zeros({s[0] + 1})"]
        elif kind == "backward_after_nograd_step":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = ({a} * {a}).sum()", f"{b}.backward()", "with torch.no_grad():", f"    {a} -= 0.1 * {a}.grad", f"{b}.backward()"]
        elif kind == "grad_twice":
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = ({a} ** 3).sum()", f"g, = torch.autograd.grad({b}, {a})", f"h, = torch.autograd.grad(g.sum(), {a})"]
        else:
            L += [f"{a} = {self.ctor(s, True)}", f"{b} = ({a} ** 2).sum()", f"{b}.backward(create_graph=True)", f"{a}.grad.sum().backward()", f"{c} = {a}.grad.tolist()", f"print(len({c}))", f"{c}.backward()"]
        return L

    def indexing2(self):
        a, b = self.names(2)
        s = self.shape(2, 2, 4)
        L = self.pre() + [f"{a} = {self.ctor(s)}"]
        kind = self.r.choice(["float_idx_tensor", "mask_shape", "set_shape", "set_tensor_rg", "neg_step", "str_idx", "tuple_too_long", "set_list_len", "bool_mask_int", "long_mask"])
        if kind == "float_idx_tensor":
            L.append(f"{b} = {a}[torch.tensor([0.0, 1.0])]")
        elif kind == "mask_shape":
            L.append(f"{b} = {a}[torch.ones({s[0] + 1}) > 0]")
        elif kind == "set_shape":
            L.append(f"{a}[0] = torch.ones({s[1] + self.r.randint(1, 3)})")
        elif kind == "set_tensor_rg":
            L.append(f"{a}[0] = torch.ones({s[1]}, requires_grad=True)")
            L.append(f"print({a}.requires_grad, {a}.grad_fn)")
            L.append(f"{a}.sum().backward(torch.ones(1))")
        elif kind == "neg_step":
            L.append(f"{b} = {a}[::-1]")
        elif kind == "str_idx":
            L.append(f"{b} = {a}['0']")
        elif kind == "tuple_too_long":
            L.append(f"{b} = {a}[0, 0, 0]")
        elif kind == "set_list_len":
            L.append(f"{a}[:, 0] = torch.tensor([{', '.join(['1.0'] * (s[0] + 1))}])")
        elif kind == "bool_mask_int":
            L.append(f"{b} = {a}[torch.tensor([True, False])]")
        else:
            L.append(f"{b} = {a}[torch.tensor([[0, 1], [1, {s[0] + 2}]])]")
        return L

    def syntax2(self):
        a, b = self.names(2)
        L = self.pre()
        n = self.r.randint(2, 9)
        forms = [
            [f"for i in range({n}) print(i)"], ["def f:", "    pass"], [f"if {a} == 1:", "    pass", f"else if {a} == 2:", "    pass"],
            [f"{a} = 1", f"{a}++"], [f"print({a}"], [f"{a} = [1, 2]]"], ["import torch as"], ["from torch import"], [f"{a} = lambda x: y = 1"],
            [f"f({a}=1, {a}=2)"], ["break"], ["continue"], ["def f(x=1, y):", "    return x"], ["class Net", "    pass"], ["try:", f"    {a} = 1", f"{b} = 2"],
            ["True = 1"], ["None = 1"], [f"{a} + 1 = 2"], ["del f()"], [f"{a}, {b} += 1"], [f"{a} = *{b}"], ["print(*)"], [f"{a} = 1 if True"],
            [f"{a} = (1, 2"], [f"{a} = {{'k': 1"], [f"{a} = 'abc"], [f"{a} = \"\"\"abc"], [f"{a} = f'{{{b}'"], [f"{a} = 0{n}"], [f"{a} = 1__0"],
            [f"{a} = 5 $ 3"], [f"{a} = torch.ones(2)", f"{a}.grad = = None"], [f"def f({a}, {a}):", "    pass"], ["def f():", "    return", "  x = 1"],
            [f"with torch.no_grad()", f"    {a} = 1"], [f"while {a} < 3", "    pass"], [f"{a} = [i for i in]"], [f"{a} = {{1: 2, 3}}"], [f"import"],
            [f"{a} = 1", f"  "], [f"if {a}:", "pass"], [f"{a} = torch.tensor([1, 2,, 3])"], [f"def f(*, ):", "    pass"], [f"{a} = 3 +", f"{b} = 4"],
            [f"print('a' 'b' {a})"], [f"{a} := 5"], [f"{a} = yield 1"], [f"nonlocal {a}"], [f"def f():", f"    global {a}", f"    {a} = 1", f"    global {a}"],
            [f"{a}.{b} += = 1"], [f"{a} = 1 else 2"], ["else:", "    pass"], ["elif x:", "    pass"], ["except:", "    pass"], [f"assert({a} > 0, 'msg')"],
        ]
        L += self.r.choice(forms)
        return L


KINDS = ["broadcast", "matmul", "view", "catstack", "baddim", "index", "backward", "backward", "item", "nn", "nn",
         "name", "typeerr", "arith", "syntax", "syntax", "tensorapi", "tensorapi", "module_class", "optim", "pyerr", "autograd2", "indexing2", "syntax2", "syntax2"]


def suggestion(src, typ, msg):
    """CPython 3.11's "Did you mean: 'x'?" hint: its default excepthook prints it (not traceback.format_exception)."""
    import subprocess
    with tempfile.NamedTemporaryFile("w", suffix=".py", delete=False) as f:
        f.write(src)
    p = subprocess.run([sys.executable, f.name], capture_output=True, text=True)
    os.unlink(f.name)
    last = p.stderr.rstrip("\n").split("\n")[-1]
    head = f"{typ}: {msg}. "
    return last[len(head):] if last.startswith(head) else None


def run(src):
    """What Python/PyTorch does with src: (type, message, line, col, hint), all None when it runs."""
    scope = {}
    try:
        code = compile(src, "<program>", "exec")
    except SyntaxError as e:
        return type(e).__name__, e.msg, e.lineno, e.offset, None
    torch.manual_seed(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(code, scope)
    except Exception as e:
        tb = traceback.extract_tb(e.__traceback__)
        frames = [f.lineno for f in tb if f.filename == "<program>"]
        msg = str(e)
        if isinstance(e, KeyError) and e.args:
            msg = repr(e.args[0])
        hint = suggestion(src, type(e).__name__, msg) if isinstance(e, (NameError, AttributeError)) else None
        return type(e).__name__, msg.split("\n")[0], frames[-1] if frames else None, None, hint
    return None, None, None, None, None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--count", type=int, default=150)
    ap.add_argument("--out", required=True)
    ap.add_argument("--kinds", default="", help="comma-separated generator names to restrict to")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    g = Gen(rng)
    kinds = args.kinds.split(",") if args.kinds else KINDS
    cases, seen = [], set()
    tries = 0
    while len(cases) < args.count and tries < args.count * 20:
        tries += 1
        kind = rng.choice(kinds)
        src = "\n".join(getattr(g, kind)())
        if src in seen:
            continue
        seen.add(src)
        typ, msg, line, col, hint = run(src)
        c = {"kind": kind, "program": src, "type": typ, "message": msg, "line": line}
        if col is not None:
            c["col"] = col
        if hint is not None:
            c["hint"] = hint
        cases.append(c)
    with open(args.out, "w") as f:
        json.dump({"reference": f"PyTorch {torch.__version__}, Python {sys.version.split()[0]}", "seed": args.seed, "cases": cases}, f, indent=1)
    print(f"wrote {len(cases)} cases ({sum(c['type'] is None for c in cases)} that run without error) to {args.out}")


if __name__ == "__main__":
    main()
