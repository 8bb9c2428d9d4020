#!/usr/bin/env python3
"""Differential fuzzer: seeded random PyTorch programs, in the style of shared/golden/autograd.json, with the
values real PyTorch (Debian's python3-torch 1.13.1) computes for chosen expressions, written in the golden
format (autograd-golden/1) so that scripts/golden.ts can run them through our engine and compare.

Usage (from the repository root):
    /usr/bin/python3 golden/gen/fuzz.py --seed 1 --count 200 --out /tmp/fuzz-1.json
    npm run -s golden -- /tmp/fuzz-1.json          # one FAIL line per mismatch, then `N passed, M failed`
    /usr/bin/python3 golden/gen/fuzz.py --seed 1 --count 200 --kinds shape,index --out /tmp/f.json
Options: --kinds takes a comma list of generator names (see GENERATORS) to focus a run.

Like make.py, a program runs in float64 default dtype, except programs that call torch.manual_seed, which run in
float32 as a user runs them. A candidate program that raises in PyTorch, or whose compared values are not finite,
is dropped and another is drawn. Prints are never compared; only the `expect` expressions (tensors, .grad,
shapes, bools such as is_leaf and grad_fn names) are.
"""
import argparse, io, json, math, os, random, sys, contextlib, warnings
import torch

sys.path.insert(0, os.path.dirname(__file__))

HEADER = "import torch\n"


def num(r, lo=-2.0, hi=2.0, nd=3):
    v = round(r.uniform(lo, hi), nd)
    return 0.5 if v == 0 else v


def lit(r, shape, lo=-2.0, hi=2.0, nd=3):
    if not shape:
        return repr(num(r, lo, hi, nd))
    return "[" + ", ".join(lit(r, shape[1:], lo, hi, nd) for _ in range(shape[0])) + "]"


def tensor(r, shape, lo=-2.0, hi=2.0, grad=True, nd=3):
    s = lit(r, shape, lo, hi, nd)
    if not shape:
        s = s
    return f"torch.tensor({s}{', requires_grad=True' if grad else ''})"


def rshape(r, rank=None, lo=1, hi=4):
    rank = r.randint(0, 3) if rank is None else rank
    return [r.randint(lo, hi) for _ in range(rank)]


def bshape(r, shape):
    """A shape broadcastable against `shape`: drop leading dims, set some dims to 1."""
    k = r.randint(0, len(shape))
    out = list(shape[k:])
    for i in range(len(out)):
        if r.random() < 0.3:
            out[i] = 1
    if r.random() < 0.2:
        out = [1] + out
    return out


def pyconst(r):
    c = r.choice([num(r, -3, 3, 2), r.randint(-3, 4), 0.5, 2, 1.5, 3.0])
    return c if c != 0 else 2


# ---------------------------------------------------------------- expression trees

UNARY_ANY = ["torch.exp({})", "{}.exp()", "torch.sin({})", "{}.cos()", "torch.tanh({})", "{}.tanh()",
             "torch.sigmoid({})", "{}.sigmoid()", "torch.relu({})", "{}.relu()", "{}.abs()", "torch.abs({})",
             "-{}", "{}.neg()", "torch.square({})", "{}.clamp(min={c})", "{}.clamp({c}, {c2})",
             "torch.clamp({}, max={c})", "{}.clamp_min({c})", "torch.nn.functional.softplus({})",
             "torch.nn.functional.elu({})", "torch.nn.functional.leaky_relu({}, 0.1)", "torch.nn.functional.gelu({})",
             "torch.nn.functional.silu({})", "{}.sinh()", "torch.cosh({})", "torch.atan({})", "{}.erf()",
             "torch.nn.functional.relu6({})", "torch.nn.functional.hardtanh({})", "{}.expm1()", "torch.sign({})",
             "{}.frac()", "torch.trunc({})", "torch.nn.functional.mish({})", "torch.nn.functional.selu({})",
             "torch.nn.functional.logsigmoid({})", "torch.nn.functional.tanhshrink({})", "{}.sgn()"]
UNARY_POS = ["torch.log({})", "{}.log()", "torch.sqrt({})", "{}.sqrt()", "{}.rsqrt()", "torch.log1p({})",
             "{}.reciprocal()", "torch.log2({})", "{}.log10()", "{}.pow(0.5)", "{} ** 1.5", "{} ** -0.5",
             "torch.pow({}, 2.5)", "{}.log().exp()"]
POSIFY = ["({}).abs() + 0.5", "({}) ** 2 + 0.1", "({}).exp()", "torch.sigmoid({})", "({}).abs() + 1"]


def expr(r, leaves, depth):
    if depth <= 0 or r.random() < 0.25:
        if r.random() < 0.85:
            return r.choice(leaves)
        return repr(pyconst(r))
    k = r.random()
    if k < 0.45:
        op = r.choice(["+", "-", "*", "/", "*", "+"])
        a = expr(r, leaves, depth - 1)
        b = expr(r, leaves, depth - 1)
        if op == "/":
            b = r.choice(POSIFY).format(b) if r.random() < 0.8 else repr(pyconst(r))
        return f"({a} {op} {b})"
    if k < 0.55:
        a = expr(r, leaves, depth - 1)
        form = r.choice(["({}) ** {i}", "({}) ** {f}", "{c} ** ({})", "({}).pow({i})", "torch.pow({}, {i})",
                         "({p}) ** ({b})"])
        return form.format(a, i=r.choice([2, 3, -1, 0, 1]), f=r.choice([2.0, 0.5, -2.0]),
                           c=r.choice([2, 0.5, 3.0, 1.5]), p=r.choice(POSIFY).format(a),
                           b=expr(r, leaves, depth - 2))
    if k < 0.75:
        a = expr(r, leaves, depth - 1)
        return r.choice(UNARY_ANY).format(a, c=num(r, -1, 0, 2), c2=num(r, 0, 1.5, 2))
    if k < 0.9:
        a = expr(r, leaves, depth - 1)
        return r.choice(UNARY_POS).format("(" + r.choice(POSIFY).format(a) + ")")
    a = expr(r, leaves, depth - 1)
    b = expr(r, leaves, depth - 1)
    return r.choice(["torch.maximum({}, {})", "torch.minimum({}, {})", "torch.max({}, {})",
                     "torch.where({0} > {1}, {0}, {1})", "torch.atan2({}, ({}).abs() + 1)",
                     "torch.add({}, {}, alpha=2)", "torch.sub({}, {})", "torch.mul({}, {})",
                     "torch.div({}, ({}).abs() + 1)", "torch.lerp({}, {}, 0.3)", "torch.hypot({}, {})"]).format(a, b)


def gen_arith(r):
    shape = rshape(r)
    names = ["a", "b"] + (["c"] if r.random() < 0.4 else [])
    lines = [HEADER.strip()]
    shapes = {"a": shape}
    for n in names[1:]:
        shapes[n] = bshape(r, shape)
    for n in names:
        lines.append(f"{n} = {tensor(r, shapes[n], grad=r.random() < 0.85)}")
    y = expr(r, names, r.randint(2, 4))
    lines.append(f"y = {y}")
    exprs = ["y"]
    mode = r.random()
    if mode < 0.6:
        lines.append("y.sum().backward()")
    elif mode < 0.8:
        lines.append("s = (y * y).mean()" if r.random() < 0.5 else "s = y.sum() * 2")
        lines.append("s.backward()")
        exprs.append("s")
    else:
        lines.append("g = torch.ones_like(y) * 0.5 + torch.arange(y.numel()).reshape(y.shape) * 0.25")
        lines.append("y.backward(gradient=g)" if r.random() < 0.5 else "y.backward(g)")
    for n in names:
        exprs.append(f"{n}.grad")
    return lines, exprs, ["y"]


def gen_reduce(r):
    rank = r.randint(1, 4)
    shape = rshape(r, rank, 1, 4)
    lines = [HEADER.strip(), f"x = {tensor(r, shape)}"]
    terms = []
    names = []
    for i in range(r.randint(1, 3)):
        d = r.randint(-rank, rank - 1)
        kd = r.choice(["", ", keepdim=True", ", keepdim=False", ", True"])
        dims = sorted(set(r.sample(range(rank), r.randint(1, rank))))
        tup = "(" + ", ".join(str(x - rank if r.random() < 0.3 else x) for x in dims) + ("," if len(dims) == 1 else "") + ")"
        form = r.choice([
            "x.sum()", f"x.sum({d}{kd})", f"x.sum(dim={tup}{kd})", f"torch.sum(x, {d})", "x.mean()",
            f"x.mean(dim={d}{kd})", f"x.mean({tup}{kd})", f"torch.mean(x, dim={tup})", "x.max()", "x.min()",
            f"x.max(dim={d}{kd})[0]", f"x.max({d}{kd}).values", f"x.min({d}{kd})[0]", f"torch.max(x, {d})[0]",
            f"x.amax(dim={tup}{kd})", f"x.amin({d})",
            "x.prod()", f"x.prod({d}{kd})", f"x.var({d}{kd})", "x.var()", f"x.std(dim={d}{kd})", "x.std()",
            f"x.var({d}, unbiased=False)", f"x.std({tup}{kd})", f"torch.var(x, {tup}, keepdim=True)",
            "x.norm()", f"x.norm(dim={d}{kd})", f"x.norm(p=1, dim={d})", f"x.norm(2, {tup})", f"torch.norm(x)",
            f"x.norm(p=float('inf'))", f"x.logsumexp({d}{kd})", f"torch.logsumexp(x, dim={tup})",
            f"x.cumsum({d})", f"torch.cumsum(x, dim={d})", f"x.cumprod({d})", f"x.sum({d}).mean()",
            f"x.abs().sum({d}{kd})", f"x.argmax({d})", f"x.argmin(dim={d}{kd})", "x.argmax()",
            f"x.median()", f"x.median({d})[0]", f"x.sort({d})[0]", f"x.topk(1, {d})[0]", f"x.softmax({d})",
            f"x.count_nonzero()" if r.random() < 0.2 else "x.sum()",
            f"torch.std_mean(x, {d})[0]", f"x.mean({d}).std()" if rank > 1 else "x.std()"])
        n = f"r{i}"
        lines.append(f"{n} = {form}")
        names.append(n)
    lines.append("loss = " + " + ".join(f"({n} * {n}).sum()" if r.random() < 0.5 else f"{n}.sum()" for n in names
                                        if True))
    lines.append("loss.backward()")
    return lines, names + ["loss", "x.grad"], names + ["loss"]


SHAPE_OPS = None


def shape_chain(r, shape):
    """One random shape op applied to a tensor of `shape`; returns (code template with {}, new shape or None)."""
    n = len(shape)
    opts = []
    numel = 1
    for s in shape:
        numel *= s
    if n >= 2:
        i, j = r.sample(range(n), 2)
        opts.append((f"{{}}.transpose({i}, {j - n if r.random() < 0.4 else j})", None))
        opts.append((f"torch.transpose({{}}, {i}, {j})", None))
        p = list(range(n)); r.shuffle(p)
        opts.append((f"{{}}.permute({', '.join(map(str, p))})", None))
        opts.append((f"{{}}.permute(({', '.join(map(str, p))}))", None))
        opts.append((f"{{}}.flatten({r.randint(0, n - 1)})", None))
        opts.append(("{}.mT" if r.random() < 0.2 else "{}.transpose(-1, -2)", None))
    if n == 2:
        opts.append(("{}.t()", None))
        opts.append(("{}.T", None))
    opts.append((f"{{}}.unsqueeze({r.randint(-n - 1, n)})", None))
    opts.append((f"{{}}[None]", None))
    opts.append((f"{{}}.reshape(-1)", None))
    opts.append((f"{{}}.view({numel})", None))
    opts.append((f"{{}}.reshape({numel}, 1)" if r.random() < 0.5 else f"{{}}.view(1, -1)", None))
    opts.append(("{}.squeeze()", None))
    if 1 in shape:
        opts.append((f"{{}}.squeeze({shape.index(1)})", None))
    opts.append(("torch.flatten({})", None))
    if n >= 1:
        e = [s if s != 1 else r.randint(2, 3) for s in shape]
        opts.append((f"{{}}.expand({', '.join(map(str, e))})", None))
        opts.append((f"{{}}.expand(2, {', '.join(['-1'] * n)})", None))
        opts.append((f"{{}}.repeat({', '.join(str(r.randint(1, 2)) for _ in range(n))})", None))
        d = r.randint(-n, n - 1)
        opts.append((f"torch.cat([{{0}}, {{0}} * 2], dim={d})", None))
        opts.append((f"torch.cat(({{0}}, {{0}}.sin()), {d})", None))
        opts.append((f"torch.stack([{{0}}, -{{0}}], {r.randint(-n - 1, n)})", None))
        opts.append((f"torch.stack(({{0}}, {{0}} ** 2))", None))
        opts.append((f"{{}}.flip({d})", None))
        opts.append((f"{{}}.roll(1, {d})", None))
        opts.append((f"{{}}.chunk(2, {d})[0]", None))
        opts.append((f"{{}}.split(1, dim={d})[-1]", None))
        opts.append((f"{{}}.narrow({d}, 0, 1)", None))
        opts.append((f"{{}}.select({d}, 0)", None))
        opts.append((f"torch.unbind({{}}, {d})[0]", None))
        opts.append((f"{{}}.contiguous().view(-1, {shape[-1]})", None))
        opts.append((f"{{}}.tril()" if n == 2 else "{}.clone()", None))
    return r.choice(opts)[0]


def gen_shape(r):
    shape = rshape(r, r.randint(1, 4), 1, 4)
    lines = [HEADER.strip()]
    if r.random() < 0.5:
        numel = 1
        for s in shape:
            numel *= s
        lines.append(f"x = (torch.arange({numel}, dtype=torch.float64).reshape({', '.join(map(str, shape))}) / 7 - 0.4).requires_grad_()"
                     if r.random() < 0.5 else
                     f"x = torch.linspace(-1, 1, {numel}).reshape({shape}).requires_grad_(True)")
    else:
        lines.append(f"x = {tensor(r, shape)}")
    cur = "x"
    k = r.randint(2, 4)
    for i in range(k):
        t = shape_chain(r, list(eval_shape(lines, cur)))
        lines.append(f"y{i} = " + t.format(cur))
        cur = f"y{i}"
    w = "torch.arange(" + cur + ".numel(), dtype=torch.float64).reshape(" + cur + ".shape) - 1.5"
    lines.append(f"loss = ({cur} * ({w})).sum()" if r.random() < 0.6 else f"loss = ({cur} ** 2).sum()")
    lines.append("loss.backward()")
    return lines, [cur, f"{cur}.shape", "loss", "x.grad"], [cur]


_shape_cache = {}


def eval_shape(lines, name):
    scope = {}
    torch.set_default_dtype(torch.float64)
    exec("\n".join(lines), scope)
    return list(scope[name].shape)


def index_expr(r, shape):
    n = len(shape)
    parts = []
    used = 0
    for d in range(n):
        s = shape[d]
        k = r.random()
        if k < 0.25:
            parts.append(str(r.randint(-s, s - 1)))
        elif k < 0.55:
            a = r.choice(["", str(r.randint(-s, s - 1)), "1"])
            b = r.choice(["", str(r.randint(-s, s)), "-1"])
            st = r.choice(["", ":2", ":1", ":3"])
            parts.append(f"{a}:{b}{st}")
        elif k < 0.65:
            parts.append(":")
        elif k < 0.75:
            parts.append("None, :")
        elif k < 0.85 and used == 0:
            parts.append("[" + ", ".join(str(r.randint(-s, s - 1)) for _ in range(r.randint(1, 3))) + "]")
            used += 1
        else:
            parts.append(":")
    if n >= 2 and r.random() < 0.25:
        cut = r.randint(1, n - 1)
        parts = ["..."] + parts[cut:]
    while parts and parts[-1] == ":" and r.random() < 0.5:
        parts.pop()
    return ", ".join(parts) if parts else "..."


def gen_index(r):
    shape = rshape(r, r.randint(1, 3), 2, 5)
    lines = [HEADER.strip(), f"x = {tensor(r, shape)}"]
    names = []
    for i in range(r.randint(1, 3)):
        k = r.random()
        if k < 0.55:
            e = f"x[{index_expr(r, shape)}]"
        elif k < 0.7:
            e = r.choice(["x[x > 0]", "x[x.abs() < 1]", "x[(x > -0.5) & (x < 1)]", "x[~(x > 0)]",
                          "x.masked_select(x > 0.2)"])
        elif k < 0.85 and len(shape) >= 2:
            rows = [r.randint(0, shape[0] - 1) for _ in range(3)]
            cols = [r.randint(-shape[1], shape[1] - 1) for _ in range(3)]
            e = r.choice([f"x[torch.tensor({rows}), torch.tensor({cols})]", f"x[{rows}, {cols}]",
                          f"x[torch.tensor({rows})]", f"x[:, torch.tensor({cols})]",
                          f"x.index_select({r.randint(0, 1)}, torch.tensor([0, 1, 0]))",
                          f"x.gather(1, torch.tensor([[0, 1]] * {shape[0]}))",
                          f"x[torch.tensor([[0, 1], [1, 0]])]"])
        else:
            e = r.choice(["x[0]", "x[-1]", "x[..., 0]", "x[1:]", "x[::2]", "x[::-1]" if False else "x.flip(0)",
                          "x[None, ..., None]"])
        n = f"v{i}"
        lines.append(f"{n} = {e}")
        names.append(n)
    lines.append("loss = " + " + ".join(f"({n} * {n}).sum()" if j % 2 else f"{n}.sum() * {j + 1}"
                                        for j, n in enumerate(names)))
    lines.append("loss.backward()")
    return lines, names + ["loss", "x.grad"] + [f"{n}.shape" for n in names], names


def gen_setitem(r):
    shape = rshape(r, r.randint(1, 3), 2, 4)
    lines = [HEADER.strip(), f"x = {tensor(r, shape)}", "y = x * 1.5"]
    for i in range(r.randint(1, 2)):
        k = r.random()
        if k < 0.4:
            lines.append(f"y[{index_expr(r, shape)}] = {num(r)}")
        elif k < 0.6:
            lines.append(r.choice(["y[y > 0] = 0", "y[y < 0] *= 2", "y[0] += 1", "y[..., -1] = x[..., 0] * 3",
                                   "y[y.abs() > 1] = -1.0"]))
        elif k < 0.8:
            lines.append(r.choice(["y.add_(1)", "y.mul_(x)", "y.sub_(x * 0.5)", "y.div_(2)", "y.clamp_(-1, 1)",
                                   "y.pow_(2)", "y.relu_()", "y.exp_()", "y.neg_()", "y.abs_()",
                                   "y.masked_fill_(x > 0, 0.25)", "y.sigmoid_()", "y.tanh_()"]))
        else:
            lines.append(r.choice(["y += x", "y *= x", "y -= 2 * x", "y /= 2", "y **= 2", "y += 1"]))
    lines.append("loss = (y * y).sum()")
    lines.append("loss.backward()")
    return lines, ["y", "loss", "x.grad"], ["y"]


def gen_matmul(r):
    k = r.random()
    a, b = None, None
    n, m, p = r.randint(1, 4), r.randint(1, 4), r.randint(1, 4)
    batch = rshape(r, r.randint(0, 2), 1, 3)
    choices = [
        ([n, m], [m, p], r.choice(["A @ B", "torch.mm(A, B)", "A.mm(B)", "torch.matmul(A, B)", "A.matmul(B)"])),
        ([m], [m], r.choice(["A @ B", "torch.dot(A, B)", "A.dot(B)", "torch.inner(A, B)"])),
        ([n, m], [m], r.choice(["A @ B", "torch.mv(A, B)", "A.mv(B)"])),
        ([m], [m, p], "A @ B"),
        (batch + [n, m], [m, p], "A @ B"),
        ([n, m], batch + [m, p], "torch.matmul(A, B)"),
        ([2, n, m], [2, m, p], r.choice(["torch.bmm(A, B)", "A.bmm(B)", "A @ B"])),
        ([2, 1, n, m], [3, m, p], "A @ B"),
        (batch + [n, m], [m], "A @ B"),
        ([n], [m], "torch.outer(A, B)"),
        ([n, m], [n, m], "A @ B.T"),
        ([n, m], [p, m], "torch.einsum('ij,kj->ik', A, B)" if r.random() < 0.3 else "A @ B.t()"),
    ]
    sa, sb, e = r.choice(choices)
    lines = [HEADER.strip(), f"A = {tensor(r, sa)}", f"B = {tensor(r, sb, grad=r.random() < 0.8)}"]
    lines.append(f"C = {e}")
    post = r.choice(["C.sum()", "(C * C).sum()", "C.tanh().sum()", "(C ** 2).mean()"])
    lines.append(f"loss = {post}")
    lines.append("loss.backward()")
    return lines, ["C", "loss", "A.grad", "B.grad", "C.shape"], ["C"]


def gen_autograd(r):
    """Autograd semantics: accumulation, retain_graph, zeroing, detach, no_grad, is_leaf, autograd.grad."""
    shape = rshape(r, r.randint(0, 2), 1, 3)
    lines = [HEADER.strip(), f"x = {tensor(r, shape)}", f"w = {tensor(r, shape, grad=r.random() < 0.7)}"]
    exprs = ["x.grad", "x.is_leaf", "x.requires_grad", "w.requires_grad", "w.is_leaf"]
    y = expr(r, ["x", "w"], 2)
    lines.append(f"y = {y}")
    k = r.randint(0, 9)
    if k == 0:
        lines += ["s = (y * y).sum()", "s.backward(retain_graph=True)", "g1 = x.grad.clone()", "s.backward()"]
        exprs += ["g1", "s"]
    elif k == 1:
        lines += ["s = y.sum()", "s.backward(retain_graph=True)", "x.grad.zero_()", "s.backward()"]
    elif k == 2:
        lines += ["for i in range(3):", "    s = (y * (i + 1)).sum()", "    s.backward(retain_graph=True)",
                  "    if i == 1:", "        x.grad = None"]
    elif k == 3:
        lines += ["d = y.detach()", "z = (x * d).sum() + y.sum()", "z.backward()"]
        exprs += ["d.requires_grad", "d.is_leaf", "z", "d.grad_fn is None"]
    elif k == 4:
        lines += ["with torch.no_grad():", "    z = y * 2", "    u = x + 1", "q = (z * x).sum()", "q.backward()"]
        exprs += ["z.requires_grad", "u.requires_grad", "q", "z.is_leaf", "z.grad_fn is None"]
    elif k == 5:
        lines += ["(gx,) = torch.autograd.grad(y.sum(), x, retain_graph=True)",
                  "gx2 = torch.autograd.grad((y * y).sum(), [x])[0]"]
        exprs += ["gx", "gx2", "x.grad is None"]
    elif k == 6:
        lines += ["gx, = torch.autograd.grad(y.sum(), x, create_graph=True)", "h = (gx * gx).sum()",
                  "h.backward()"]
        exprs += ["gx", "h", "gx.requires_grad"]
    elif k == 7:
        lines += ["v = x.detach().clone()", "v.requires_grad_()", "t = (v * y.detach()).sum()", "t.backward()"]
        exprs += ["v.grad", "v.is_leaf", "t"]
    elif k == 8:
        lines += ["y.retain_grad()", "s = (y ** 2).sum()", "s.backward()"]
        exprs += ["y.grad", "y.is_leaf", "s"]
    else:
        lines += ["s = y.sum()", "s.backward(retain_graph=True)", "s.backward(retain_graph=True)",
                  "s.backward()"]
    exprs += ["y", "y.requires_grad", "y.is_leaf"]
    return lines, exprs, ["y"]


def gen_gradfn(r):
    """grad_fn names and next_functions structure of one op's result."""
    lines = [HEADER.strip(), "import torch.nn.functional as F",
             f"x = {tensor(r, [2, 3])}", f"v = {tensor(r, [3])}", f"c = {tensor(r, [2, 3], grad=False)}",
             f"m = {tensor(r, [3, 3])}"]
    e = r.choice([
        "x + v", "v + x", "x + 2", "2 + x", "x - v", "2 - x", "x - 2", "x * v", "3 * x", "x * c", "x / v",
        "x / 2", "2 / x", "x ** 2", "2 ** x", "x ** v", "x.pow(3)", "-x", "x.exp()", "x.log()", "x.sin()",
        "x.cos()", "x.tanh()", "x.sigmoid()", "x.relu()", "F.relu(x)", "x.abs()", "x.sqrt()", "x.sum()",
        "x.sum(0)", "x.mean()", "x.mean(1)", "x.max()", "x.max(1)[0]", "x.min(0).values", "x.prod()",
        "x.var()", "x.std(1)", "x.norm()", "x.view(3, 2)", "x.reshape(-1)", "x.t()", "x.T", "x.transpose(0, 1)",
        "x.permute(1, 0)", "x.unsqueeze(0)", "x[0]", "x[:, 1]", "x[:, ::2]", "x[x > 0]", "x[[0, 1]]", "x @ m",
        "x.mm(m)", "m @ v", "v @ v", "v.dot(v)", "torch.cat([x, c])", "torch.stack([x, x])", "x.expand(2, 2, 3)",
        "x.flatten()", "x.squeeze()", "x.clamp(-0.5, 0.5)", "x.clamp(min=0)", "torch.where(x > 0, x, c)",
        "F.softmax(x, dim=1)", "F.log_softmax(x, 1)", "x.softmax(0)", "F.mse_loss(x, c)", "F.l1_loss(x, c)",
        "F.cross_entropy(x, torch.tensor([0, 2]))", "F.linear(x, m)", "F.linear(x, m, v)", "x.clone()",
        "x.contiguous()", "x.masked_fill(c > 0, 0)", "x.cumsum(1)", "F.leaky_relu(x)", "F.gelu(x)",
        "F.elu(x)", "F.silu(x)", "x.neg()", "x.square()", "x.reciprocal()", "x.exp().log()", "x * x",
        "x.mean((0, 1))", "x.sum(dim=1, keepdim=True)", "x.amax(1)", "x.logsumexp(1)", "torch.addmm(v, x, m)",
        "x.repeat(2, 1)", "x.flip(0)", "x.roll(1, 1)", "x.narrow(1, 0, 2)", "x.select(0, 1)", "x.unbind(0)[1]",
        "x.chunk(3, 1)[2]", "x.split(2, 1)[0]", "x.tril()", "x.triu(1)", "x.floor()", "x.sign()",
        "torch.maximum(x, c)", "F.binary_cross_entropy(x.sigmoid(), c.sigmoid())",
        "F.binary_cross_entropy_with_logits(x, c.sigmoid())", "F.smooth_l1_loss(x, c)", "F.nll_loss(x, torch.tensor([1, 0]))",
        "x.mT", "x.div(2)", "x.mul(v)", "x.add(v, alpha=2)", "x.sub(1)", "torch.sigmoid(x)", "torch.tanh(x)",
        "x.detach()", "x.data", "x[..., None]",
        "x.view(-1, 1)", "x.sum() * 2", "(x * 2).sum()", "x.abs().sqrt()",
        "x.exp().sum(1).log()", "x.trunc()", "x.frac()", "x.atan()", "x.erf()", "x.expand_as(c)",
        "x.gather(1, torch.tensor([[0], [2]]))", "torch.dist(x, c)", "F.normalize(x)", "F.dropout(x, 0.0)",
        "F.pad(x, (1, 1))", "x.index_select(1, torch.tensor([0, 2]))"])
    e = e.replace("x.log()", "x.abs().log()").replace("x.sqrt()", "x.abs().sqrt()")
    lines.append(f"y = {e}")
    lines.append("z = y.sum() if y.dim() > 0 else y")
    lines.append("z.backward()" if r.random() < 0.5 else "pass")
    return lines, ["y", "x.grad", "y.requires_grad", "y.is_leaf"], ["y"], "gradfn"


def gen_nn(r):
    lines = [HEADER.strip(), "import torch.nn.functional as F"]
    k = r.randint(0, 8)
    N, C = r.randint(1, 4), r.randint(2, 4)
    if k <= 2:
        lines.append(f"logits = {tensor(r, [N, C])}")
        tgt = [r.randint(0, C - 1) for _ in range(N)]
        lines.append(f"target = torch.tensor({tgt})")
        red = r.choice(["", ", reduction='sum'", ", reduction='mean'", ", reduction='none'"])
        f = r.choice([f"F.cross_entropy(logits, target{red})", f"F.nll_loss(F.log_softmax(logits, dim=1), target{red})",
                      f"torch.nn.CrossEntropyLoss({red[2:]})(logits, target)",
                      f"F.cross_entropy(logits, target, label_smoothing=0.1{red})",
                      f"F.cross_entropy(logits, target, weight=torch.tensor({lit(r, [C], 0.2, 2)}){red})",
                      f"F.nll_loss(logits.log_softmax(-1), target, ignore_index=0{red})" if 0 in tgt[1:] or r.random() < 0.5 else f"F.nll_loss(logits, target{red})",
                      f"F.cross_entropy(logits, F.softmax(torch.tensor({lit(r, [N, C])}), 1){red})",
                      f"F.multi_margin_loss(logits, target)" if r.random() < 0.1 else f"F.cross_entropy(logits, target)"])
        lines.append(f"loss = {f}")
    elif k <= 4:
        shape = rshape(r, r.randint(1, 3), 1, 4)
        lines.append(f"pred = {tensor(r, shape)}")
        lines.append(f"goal = {tensor(r, shape, grad=False)}")
        red = r.choice(["", ", reduction='sum'", ", reduction='none'"])
        f = r.choice([f"F.mse_loss(pred, goal{red})", f"F.l1_loss(pred, goal{red})",
                      f"F.smooth_l1_loss(pred, goal{red})", f"F.smooth_l1_loss(pred, goal, beta=0.5{red})",
                      f"F.huber_loss(pred, goal, delta=0.7{red})",
                      f"F.binary_cross_entropy(torch.sigmoid(pred), torch.sigmoid(goal){red})",
                      f"F.binary_cross_entropy_with_logits(pred, goal.sigmoid(){red})",
                      f"F.binary_cross_entropy_with_logits(pred, (goal > 0).float(), pos_weight=torch.tensor(2.0){red})",
                      f"torch.nn.MSELoss({red[2:]})(pred, goal)", f"torch.nn.L1Loss()(pred, goal)",
                      f"torch.nn.BCEWithLogitsLoss()(pred, goal.sigmoid())", f"torch.nn.SmoothL1Loss()(pred, goal)",
                      f"torch.nn.BCELoss()(pred.sigmoid(), (goal > 0).double())",
                      f"F.kl_div(F.log_softmax(pred, -1), F.softmax(goal, -1), reduction='batchmean')",
                      f"F.cosine_similarity(pred, goal, dim=-1)" if len(shape) >= 1 else "F.mse_loss(pred, goal)"])
        lines.append(f"loss = {f}")
    elif k == 5:
        shape = rshape(r, r.randint(1, 3), 1, 4)
        d = r.randint(-len(shape), len(shape) - 1)
        lines.append(f"x = {tensor(r, shape)}")
        f = r.choice([f"F.softmax(x, dim={d})", f"F.log_softmax(x, dim={d})", f"torch.softmax(x, {d})",
                      f"x.log_softmax({d})", f"torch.nn.Softmax(dim={d})(x)", f"torch.nn.LogSoftmax({d})(x)",
                      f"F.softmin(x, {d})", f"F.normalize(x, dim={d})", f"F.layer_norm(x, x.shape[-1:])",
                      f"torch.nn.LayerNorm({shape[-1]})(x)", f"F.dropout(x, p=0.5, training=False)",
                      f"F.glu(torch.cat([x, x * 2], {d}), {d})"])
        lines.append(f"out = {f}")
        lines.append(f"loss = (out * torch.arange(out.numel()).reshape(out.shape)).sum()")
        lines.append("loss.backward()")
        return lines, ["out", "loss", "x.grad"], ["out", "loss"]
    elif k == 6:
        Cin, Cout, H = r.randint(1, 3), r.randint(1, 3), r.randint(3, 6)
        ks = r.randint(1, 3)
        lines.append(f"x = torch.linspace(-1, 1, {N * Cin * H * H}).reshape({N}, {Cin}, {H}, {H}).sin().requires_grad_()")
        lines.append(f"w = torch.linspace(-0.5, 0.6, {Cout * Cin * ks * ks}).reshape({Cout}, {Cin}, {ks}, {ks}).cos().requires_grad_()")
        lines.append(f"b = {tensor(r, [Cout])}")
        f = r.choice([f"F.conv2d(x, w, b)", f"F.conv2d(x, w, b, stride=2, padding=1)", f"F.conv2d(x, w, padding={ks // 2})",
                      f"F.conv2d(x, w, b, padding='same')", f"F.conv2d(x, w, None, 1, 1, 2)" if H >= 5 else "F.conv2d(x, w)",
                      f"F.conv2d(x, w, b, stride=(1, 2), padding=(0, 1))"])
        lines.append(f"y = {f}")
        p = r.choice(["F.max_pool2d(y, 2)" if H >= 2 + ks else "y", "F.avg_pool2d(y, 1)", "F.relu(y)",
                      "F.adaptive_avg_pool2d(y, 1)", "F.max_pool2d(y, 2, 1)" if H - ks >= 1 else "y.tanh()",
                      "F.adaptive_max_pool2d(y, 1)", "torch.nn.MaxPool2d(2, ceil_mode=True)(y)" if H - ks >= 1 else "y",
                      "F.avg_pool2d(y, 2, padding=1)" if H - ks >= 1 else "y", "F.interpolate(y, scale_factor=2)",
                      "F.max_pool2d(y, kernel_size=2, stride=1, padding=1)" if H - ks >= 1 else "y"])
        lines.append(f"z = {p}")
        lines.append("loss = (z * z).sum()")
        lines.append("loss.backward()")
        return lines, ["y", "z", "loss", "x.grad", "w.grad", "b.grad"], ["y", "z"]
    elif k == 7:
        C = r.randint(1, 3)
        shape = r.choice([[r.randint(2, 4), C], [r.randint(1, 3), C, r.randint(2, 3), r.randint(1, 3)]])
        lines.append(f"x = {tensor(r, shape)}")
        lines.append(f"g = {tensor(r, [C])}")
        lines.append(f"rm = torch.zeros({C})")
        lines.append(f"rv = torch.ones({C})")
        f = r.choice(["F.batch_norm(x, rm, rv, g, None, training=True)", "F.batch_norm(x, rm, rv, training=True, momentum=0.2)",
                      "F.batch_norm(x, rm, rv, weight=g, training=False)", "F.batch_norm(x, None, None, g, g, True)",
                      f"torch.nn.BatchNorm{1 if len(shape) == 2 else 2}d({C})(x)",
                      f"F.instance_norm(x)" if len(shape) == 4 else "F.batch_norm(x, rm, rv, training=True)",
                      f"F.group_norm(x, 1, g)" if len(shape) == 4 else "F.batch_norm(x, rm, rv, bias=g, training=True)"])
        lines.append(f"y = {f}")
        lines.append("loss = (y ** 3).sum() + y.sum()")
        lines.append("loss.backward()")
        return lines, ["y", "loss", "x.grad", "g.grad", "rm", "rv"], ["y"]
    else:
        n_in, n_out = r.randint(1, 4), r.randint(1, 4)
        lines.append(f"x = {tensor(r, [N, n_in], grad=False)}")
        lines.append(f"W = {tensor(r, [n_out, n_in])}")
        lines.append(f"b = {tensor(r, [n_out])}")
        act = r.choice(["torch.relu", "torch.tanh", "torch.sigmoid", "F.relu", "F.gelu", "F.softplus", ""])
        lines.append(f"h = {act}(F.linear(x, W, b))" if r.random() < 0.5 else f"h = {act}(x @ W.T + b)")
        lines.append("loss = (h - 0.5).pow(2).mean()")
    if "loss.backward()" not in lines:
        lines.append("loss.sum().backward()" if "none" in lines[-1] or "cosine" in lines[-1] else "loss.backward()")
    names = [n for n in ("logits", "pred", "x", "W", "b") if any(l.startswith(n + " = ") for l in lines)]
    return lines, ["loss"] + [f"{n}.grad" for n in names], ["loss"]


def gen_seeded(r):
    s = r.randint(0, 100)
    lines = [HEADER.strip(), "from torch import nn", f"torch.manual_seed({s})"]
    k = r.randint(0, 5)
    if k == 0:
        lines += [f"a = torch.randn({r.randint(1, 6)}, {r.randint(1, 5)})", f"b = torch.rand({r.randint(1, 20)})",
                  f"c = torch.randint(0, {r.randint(2, 10)}, ({r.randint(1, 8)},))",
                  f"d = torch.randn(({r.randint(1, 3)}, 2), requires_grad=True)", f"e = torch.randn_like(d)",
                  f"f = torch.rand(2, 3) * 2 - 1", "g = torch.normal(0.0, 1.0, size=(3,))" if r.random() < 0.3 else "g = torch.randn(3)",
                  "h = torch.randperm(5)"]
        return lines, ["a", "b", "c", "d", "e", "f", "g", "h"], []
    if k == 1:
        n_in, n_h = r.randint(1, 5), r.randint(1, 5)
        act = r.choice(["nn.ReLU()", "nn.Tanh()", "nn.Sigmoid()", "nn.LeakyReLU(0.1)", "nn.GELU()", "nn.ELU()",
                        "nn.Softplus()", "nn.SiLU()", "nn.Identity()", "nn.Dropout(0.0)"])
        lines += [f"model = nn.Sequential(nn.Linear({n_in}, {n_h}), {act}, nn.Linear({n_h}, 1))",
                  f"x = torch.randn({r.randint(1, 6)}, {n_in})", "y = model(x)", "loss = y.pow(2).sum()", "loss.backward()"]
        return lines, ["y", "loss", "model[0].weight.grad", "model[2].bias.grad", "model[0].weight"], ["y"]
    if k in (2, 3):
        opt = r.choice(["torch.optim.SGD(model.parameters(), lr=0.1)",
                        "torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)",
                        "torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, nesterov=True)",
                        "torch.optim.SGD(model.parameters(), lr=0.05, weight_decay=0.1)",
                        "torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.5, dampening=0.1)",
                        "torch.optim.Adam(model.parameters(), lr=0.01)",
                        "torch.optim.Adam(model.parameters(), lr=0.05, betas=(0.8, 0.9), weight_decay=0.01)",
                        "torch.optim.Adam(model.parameters(), lr=0.02, amsgrad=True)",
                        "torch.optim.AdamW(model.parameters(), lr=0.01)",
                        "torch.optim.RMSprop(model.parameters(), lr=0.01)",
                        "torch.optim.Adagrad(model.parameters(), lr=0.1)"])
        n_in = r.randint(1, 4)
        lossf = r.choice(["nn.MSELoss()", "nn.L1Loss()", "nn.SmoothL1Loss()", "nn.MSELoss(reduction='sum')"])
        steps = r.randint(1, 5)
        sched = r.choice(["", "torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)",
                          "torch.optim.lr_scheduler.ExponentialLR(opt, gamma=0.9)",
                          "torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=3)",
                          "torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[1, 3], gamma=0.3)",
                          "torch.optim.lr_scheduler.LambdaLR(opt, lambda e: 0.9 ** e)"])
        lines += [f"model = nn.Linear({n_in}, 2)", f"opt = {opt}", f"x = torch.randn(5, {n_in})", "t = torch.randn(5, 2)",
                  f"crit = {lossf}", "losses = []", f"sched = {sched}" if sched else "sched = None", f"for step in range({steps}):",
                  "    opt.zero_grad()", "    loss = crit(model(x), t)", "    loss.backward()", "    opt.step()",
                  "    if sched is not None:", "        sched.step()", "    losses.append(loss.item())", "lr = opt.param_groups[0]['lr']"]
        return lines, ["model.weight", "model.bias", "loss", "model.weight.grad", "losses[0]", "lr"], []
    if k == 4:
        lines += [f"w = torch.randn({r.randint(1, 4)}, requires_grad=True)", "x = torch.randn(8, w.shape[0])",
                  "y = x @ w + 0.1 * torch.randn(8)", "lr = 0.1", f"for i in range({r.randint(1, 6)}):",
                  "    loss = ((x @ w - y) ** 2).mean()", "    loss.backward()", "    with torch.no_grad():",
                  "        w -= lr * w.grad", "        w.grad.zero_()"]
        return lines, ["w", "loss", "w.grad"], []
    lines += [f"conv = nn.Conv2d({r.randint(1, 2)}, {r.randint(1, 3)}, {r.randint(1, 3)}, padding=1)",
              "x = torch.randn(2, conv.in_channels, 5, 5)", "bn = nn.BatchNorm2d(conv.out_channels)",
              "y = torch.relu(bn(conv(x)))", "loss = y.mean()", "loss.backward()"]
    return lines, ["y", "loss", "conv.weight.grad", "conv.bias.grad", "bn.weight.grad", "bn.running_mean"], ["y"]


def gen_python(r):
    """Simple Python around tensors: functions, loops, lists, comprehensions, f-strings."""
    lines = [HEADER.strip(), f"xs = [{', '.join(tensor(r, [2]) for _ in range(3))}]"]
    k = r.randint(0, 5)
    if k == 0:
        lines += ["def f(t, k=2):", "    return (t ** k).sum()", "total = sum(f(t) for t in xs)",
                  "total.backward()", "print(f'total = {total.item():.4f}')"]
        ex = ["total"]
    elif k == 1:
        lines += ["acc = torch.zeros(2)", "for i, t in enumerate(xs):", "    acc = acc + t * (i + 1)",
                  "loss = acc.norm()", "loss.backward()"]
        ex = ["acc", "loss"]
    elif k == 2:
        lines += ["st = torch.stack(xs)", "m = st.max(dim=0)", "loss = m.values.sum() + st[m.indices, [0, 1]].sum()",
                  "loss.backward()"]
        ex = ["st", "m.values", "m.indices", "loss"]
    elif k == 3:
        lines += ["vals = [t.sum().item() for t in xs]", "best = max(range(3), key=lambda i: vals[i])",
                  "loss = xs[best].exp().sum() - min(vals)", "loss.backward()"]
        ex = ["loss", "best", "vals[0]"]
    elif k == 4:
        lines += ["loss = 0", "i = 0", "while i < 3:", "    loss += (xs[i] * xs[(i + 1) % 3]).sum()", "    i += 1",
                  "loss.backward()", "d = {'a': xs[0], 'b': xs[1]}", "e = d['a'] * 2 + d['b']"]
        ex = ["loss", "e"]
    else:
        lines += ["a, b, c = xs", "y = torch.cat(xs) if a.sum() > b.sum() else torch.stack(xs).sum(0)",
                  "n = len(y)", "loss = y.sum() / n", "loss.backward()", "ok = bool((a > b).any())",
                  "tl = y.tolist()"]
        ex = ["y", "n", "loss", "ok", "tl"]
    return lines, ex + ["xs[0].grad", "xs[1].grad", "xs[2].grad"], []


def gen_dtype(r):
    lines = [HEADER.strip(), f"i = torch.tensor({[r.randint(-5, 5) for _ in range(3)]})",
             f"f = torch.tensor({lit(r, [3])})", "b = torch.tensor([True, False, True])"]
    exprs = []
    for j in range(r.randint(2, 4)):
        e = r.choice(["i + 1", "i * 2.5", "i / 2", "i // 2", "i % 3", "i ** 2", "f + i", "i + b", "b * 3", "b.sum()",
                      "i.float() / 3", "f.long()", "f.int() + 1", "i.abs()", "-i", "i.max()", "i.sum()", "i.mean(dtype=torch.float64)" if False else "i.double().mean()",
                      "f > 0", "(f > 0) & b", "f == f.max()", "i.clamp(-2, 2)", "torch.zeros(3, dtype=torch.long) + i",
                      "torch.ones(2, 3).sum(0)", "torch.full((2,), 7)", "torch.arange(5) * 0.5", "torch.arange(1, 10, 3)",
                      "torch.eye(3)[1]", "torch.zeros_like(f)", "i.to(torch.float32) * 0.1", "f.round()", "f.floor()",
                      "torch.linspace(0, 1, 5)", "torch.tensor(3) / torch.tensor(2)", "i.argmax()", "f.sort()[1]",
                      "torch.where(b, i, -i)", "i.float().std()", "f.sum().item()", "int(f.sum())", "len(f)",
                      "f.numel()", "f.dim()", "f.shape[0]", "i.tolist()", "(i > 0).sum()", "torch.sign(i)",
                      "torch.remainder(i, 3)", "torch.fmod(i, 3)", "i & 3", "i | 4", "i ^ 1", "~i", "(i > 0) | b",
                      "torch.div(i, 2, rounding_mode='floor')", "torch.div(f, 2, rounding_mode='trunc')", "i.div(-3, rounding_mode='trunc')",
                      "torch.linspace(-3, 10, 6, dtype=torch.int64)", "f.softmax(0, dtype=torch.float64)", "torch.arange(0, 1, 0.25)",
                      "(f * 10).round() / 10", "i // -2", "i % -3", "f % -2", "7 // i.clamp(1)", "i.float() ** -1", "f.argsort(descending=True)",
                      "i.float().pow(2).sqrt()", "torch.cumsum(i, 0)", "i.prod()", "torch.tensor(2.5) * i"])
        lines.append(f"r{j} = {e}")
        exprs.append(f"r{j}")
    return lines, exprs, []


SEMANTIC_SNIPPETS = [
    # (body lines, expressions); {A}, {B} are 2x3 tensors requiring grad, {C} a 2x3 constant, {S} a scalar
    (["w = {A}", "x = {C}", "for i in range(3):", "    loss = ((w * x).sum() - {S}) ** 2", "    loss.backward()",
      "    w.data -= 0.05 * w.grad.data", "    w.grad.data.zero_()"], ["w", "loss", "w.grad"]),
    (["w = {A}", "@torch.no_grad()", "def step(p, lr):", "    p -= lr * p.grad", "    return p.sum()",
      "(w * w).sum().backward()", "s = step(w, 0.1)"], ["w", "s", "w.grad", "s.requires_grad"]),
    (["a = {A}", "with torch.no_grad():", "    b = a * 2", "    with torch.enable_grad():", "        c = a * 3",
      "d = (b * c).sum()", "d.backward()"], ["a.grad", "b.requires_grad", "c.requires_grad", "d"]),
    (["a = {A}", "torch.set_grad_enabled(False)", "b = a * 2", "torch.set_grad_enabled(True)", "c = (a * b).sum()",
      "c.backward()"], ["b.requires_grad", "a.grad", "c"]),
    (["a = {A}", "g = []", "h = a.register_hook(lambda grad: g.append(grad.clone()))", "y = (a * a).sum()",
      "y.backward()", "h.remove()", "(a * 3).sum().backward()"], ["a.grad", "g[0]", "len(g)"]),
    (["a = {A}", "b = a * 2", "b.register_hook(lambda grad: grad * 10)", "(b * b).sum().backward()"], ["a.grad"]),
    (["a = {A}", "v = a.view(3, 2)", "y = v * 2", "y.retain_grad()", "z = y.t() @ y", "z.sum().backward()"],
     ["a.grad", "y.grad", "z"]),
    (["a = {A}", "b = a.detach()", "b.add_(1)", "c = a.clone()", "c.detach_()", "a_val = a.data"],
     ["a", "b", "c.requires_grad", "a_val.requires_grad", "c.is_leaf"]),
    (["a = {C}", "a.requires_grad_()", "b = (a ** 2).sum()", "b.backward()", "a.requires_grad_(False)", "c = a * 2"],
     ["a.grad", "c.requires_grad", "a.is_leaf", "b"]),
    (["a = {A}", "b = {B}", "y = a * b", "gy = torch.ones_like(y) * {S}", "y.backward(gy, retain_graph=True)",
      "y.backward(gradient=gy * 2)"], ["a.grad", "b.grad"]),
    (["a = {A}", "out = a.sum(dim=0) * torch.tensor([1.0, -2.0, 0.5])", "out.backward(torch.tensor([1.0, 0.1, 0.01]))"],
     ["a.grad", "out"]),
    (["a = {A}", "y = a.exp()", "z = y.mean()", "z.backward(retain_graph=True)", "g1 = a.grad.clone()", "a.grad = None",
      "z.backward()"], ["g1", "a.grad", "a.grad is g1"]),
    (["a = {A}", "y = a * 2", "y.retain_grad()", "z = y ** 2", "z.retain_grad()", "s = z.sum()", "s.backward()"],
     ["y.grad", "z.grad", "a.grad", "s.grad is None"]),
    (["a = {A}", "b = {B}", "c = torch.cat([a, b], 0)", "d = c.view(-1)", "d[0] = 0.0", "e = (d * d).sum()",
      "e.backward()"], ["a.grad", "b.grad", "c", "e"]),
    (["x = {C}", "w = {A}", "def f(t):", "    return (t * w).tanh().sum()", "ys = [f(x * k) for k in range(1, 4)]",
      "total = torch.stack(ys).sum()", "total.backward()"], ["total", "w.grad", "ys[1]"]),
    (["a = {A}", "y = a.sum()", "print(y.item(), y.grad_fn, y.requires_grad)", "y.backward()", "n = a.grad.norm().item()",
      "m = float(a.max())", "k = int(a.argmax())"], ["n", "m", "k"]),
    (["a = {A}", "b = a[0]", "c = a[1]", "y = (b * c).sum() + b.dot(c)", "y.backward()"], ["a.grad", "y"]),
    (["a = {A}", "with torch.no_grad():", "    a.mul_(2)", "    a.clamp_(-1, 1)", "    a[0, 0] = 5", "y = a.sum()", "y.backward()"],
     ["a", "a.grad", "y"]),
    (["a = {A}", "y = a * 1", "y[:, 0] = 0", "y[1] *= 2", "s = y.pow(2).sum()", "s.backward()"], ["y", "a.grad", "s"]),
    (["a = {A}", "b = a.t().contiguous().view(-1)", "c = b.reshape(2, 3).flip(1)", "(c * torch.arange(6.).view(2, 3)).sum().backward()"],
     ["a.grad", "c"]),
    (["a = {A}", "y = torch.zeros(2, 3)", "y += a", "y -= 1", "y *= a", "s = y.sum()", "s.backward()"], ["y", "a.grad", "s"]),
    (["a = {A}", "ls = a.tolist()", "t = torch.tensor(ls)", "u = torch.as_tensor(ls)", "same = torch.equal(t, a.detach())"],
     ["t", "u", "same", "t.requires_grad"]),
]


def gen_semantics(r):
    body, exprs = r.choice(SEMANTIC_SNIPPETS)
    sub = {"A": tensor(r, [2, 3]), "B": tensor(r, [2, 3]), "C": tensor(r, [2, 3], grad=False), "S": repr(num(r))}
    lines = [HEADER.strip()] + [l.replace("{A}", sub["A"]).replace("{B}", sub["B"]).replace("{C}", sub["C"]).replace("{S}", sub["S"]) for l in body]
    return lines, exprs, []


API_EXPRS = [
    "x.sum(axis=0)", "x.mean(axis=1, keepdims=True)", "torch.sum(x, axis=1)", "x.max(axis=0).values", "x.std(axis=0)",
    "x.new_zeros(2)", "x.new_ones((1, 2))", "x.new_tensor([1, 2])", "x.new_full((2,), 3.0)", "torch.cat((x, x), dim=-1)",
    "torch.cat([x, x], axis=0)", "x.T", "x.mT", "x.reshape(-1, 2)", "x.view(3, -1)", "x.unsqueeze(-1).shape", "x.size()",
    "x.size(1)", "x.shape[-1]", "x.ndim", "x.dim()", "x.numel()", "x.is_floating_point()", "torch.zeros_like(x, dtype=torch.int64)",
    "x.abs().argmax(dim=1, keepdim=True)", "x.flatten().topk(2).values", "torch.clip(x, -1, 1)", "x.clip(min=0)", "torch.absolute(x)",
    "torch.negative(x)", "torch.multiply(x, 2)", "torch.subtract(x, 1)", "torch.true_divide(x, 2)", "x.expand(2, 2, 3).sum(0)",
    "x.clone().detach().requires_grad_(True).is_leaf", "x.softmax(-1)", "x.log_softmax(dim=0)", "x.exp().sum(-1).log()",
    "torch.stack([x, x], dim=-1).shape", "torch.stack((x[0], x[1]))", "x.unbind(0)[1]", "x.chunk(3, dim=1)[2]", "x.split(1)[0]",
    "torch.where(x > 0, x, torch.zeros_like(x))", "x.masked_fill(x < 0, -1.0)", "x.t() @ x", "x @ x.t()", "torch.mm(x, x.T)",
    "x.norm(dim=0, keepdim=True)", "torch.linalg.norm(x)" if False else "x.norm()", "x.var(0, unbiased=False)", "x.prod(0)",
    "x.cumsum(1)", "x.cumprod(dim=1)", "x.amax(dim=(0, 1))", "x.logsumexp(dim=0)", "x.sort(dim=1).values", "x.sort(1, descending=True).indices",
    "x.argsort(dim=0)", "x.median(dim=1).values", "x.kthvalue(1, dim=1).values" if False else "x.min(dim=1).indices",
    "x.round(decimals=1)" if False else "x.round()", "x.sign() * x.abs()", "x.relu().sum(axis=1)", "(x > 0).sum(dim=0)",
    "(x > 0).float().mean()", 
    "x.data.sum()", "x.detach().numpy().sum()" if False else "x.detach().sum()", "x.roll(shifts=1, dims=1)", "x.flip(dims=[0])",
    "x.repeat(2, 1)", "x.tril(diagonal=0)", "x.triu(diagonal=1)", "x.diag()" if False else "x.trace()" if False else "x.sum()",
    "torch.outer(x[0], x[1])", "torch.dot(x[0], x[1])", "x[0].dot(x[1])", "torch.matmul(x, x[0])", "x.addmm(x, x.t()[:, :3]) if False else x",
    "torch.clamp(x, min=-0.5)", "x.clamp(max=0.5)", "x.clamp_min(0.1)", "torch.nn.functional.normalize(x, dim=0)",
    "torch.nn.functional.one_hot(torch.tensor([0, 2, 1]), 3)" if False else "torch.eye(3)[torch.tensor([0, 2, 1])]",
    "torch.nn.functional.relu(x) - torch.nn.functional.relu(-x)", "torch.nn.functional.gelu(x).sum()", "x.sigmoid() * (1 - x.sigmoid())",
]


def gen_api(r):
    lines = [HEADER.strip(), f"x = {tensor(r, [2, 3])}"]
    names = []
    for j, e in enumerate(r.sample(API_EXPRS, 4)):
        lines.append(f"r{j} = {e}")
        names.append(f"r{j}")
    lines.append("loss = sum(v.float().sum() for v in [" + ", ".join(names) + "] if isinstance(v, torch.Tensor) and v.is_floating_point() and v.requires_grad)")
    lines.append("if isinstance(loss, torch.Tensor):")
    lines.append("    loss.backward()")
    return lines, names + ["x.grad"], names


GENERATORS = {
    "arith": (gen_arith, 5), "reduce": (gen_reduce, 3), "shape": (gen_shape, 3), "index": (gen_index, 3),
    "setitem": (gen_setitem, 2), "matmul": (gen_matmul, 2), "autograd": (gen_autograd, 3), "gradfn": (gen_gradfn, 3),
    "nn": (gen_nn, 3), "seeded": (gen_seeded, 2), "python": (gen_python, 1), "dtype": (gen_dtype, 1), "semantics": (gen_semantics, 3), "api": (gen_api, 3),
}


def value(v):
    if isinstance(v, bool):
        return {"bool": v}
    if isinstance(v, torch.Size):
        return {"shape": [len(v)], "data": list(v)}
    if isinstance(v, (int, float)):
        return {"shape": [], "data": [float(v)]}
    if isinstance(v, list) and all(isinstance(x, (int, float)) and not isinstance(x, bool) for x in v):
        return {"shape": [len(v)], "data": [float(x) for x in v]}
    if isinstance(v, torch.Tensor):
        t = v.detach()
        out = {"shape": list(t.shape), "data": [x for x in t.flatten().tolist()]}
        if t.dtype == torch.bool:
            out["dtype"] = "bool"
            out["data"] = [bool(x) for x in out["data"]]
        elif not t.is_floating_point():
            out["dtype"] = "int64"
        return out
    raise TypeError(f"cannot store {type(v)}")


def finite(j):
    """Finite, and within what a float32 engine represents well (the reference runs in float64)."""
    if "data" in j:
        return all(isinstance(x, bool) or (math.isfinite(x) and abs(x) < 1e6) for x in j["data"])
    return True


def describe_fn(fn):
    return type(fn).__name__ if fn is not None else None


def run_candidate(lines, exprs, graph_of):
    program = "\n".join(lines) + "\n"
    torch.set_default_dtype(torch.float32 if "manual_seed" in program else torch.float64)
    scope = {}
    with contextlib.redirect_stdout(io.StringIO()):
        exec(compile(program, "fuzz", "exec"), scope)
    expect = {}
    for e in exprs:
        try:
            v = eval(e, scope)
        except Exception:
            continue
        if v is None:
            expect[f"{e} is None"] = {"bool": True}
            continue
        j = value(v)
        if not finite(j):
            raise ValueError("not finite")
        expect[e] = j
    # grad_fn names and next_functions, compared as bools
    for g in graph_of:
        t = scope.get(g)
        if not isinstance(t, torch.Tensor):
            continue
        fn = t.grad_fn
        if fn is None:
            expect[f"{g}.grad_fn is None"] = {"bool": True}
            continue
        expect[f"type({g}.grad_fn).__name__ == {type(fn).__name__!r}"] = {"bool": True}
        nxt = [describe_fn(f) for f, _ in fn.next_functions]
        expect[f"[type(f).__name__ if f is not None else None for f, _ in {g}.grad_fn.next_functions] == {nxt!r}"] = {"bool": True}
    return program, expect


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--out", required=True)
    ap.add_argument("--kinds", default="")
    args = ap.parse_args()
    r = random.Random(args.seed)
    kinds = [k for k in (args.kinds.split(",") if args.kinds else GENERATORS)]
    weights = [GENERATORS[k][1] for k in kinds]
    cases, dropped = [], 0
    torch.set_printoptions(precision=4)
    warnings.filterwarnings("ignore")
    while len(cases) < args.count:
        kind = r.choices(kinds, weights)[0]
        try:
            res = GENERATORS[kind][0](r)
            lines, exprs, graph_of = res[0], res[1], res[2]
            program, expect = run_candidate(lines, exprs, graph_of)
        except Exception:
            dropped += 1
            continue
        if not expect:
            dropped += 1
            continue
        cases.append({"name": f"fuzz{args.seed}_{len(cases)}_{kind}", "tier": 1, "program": program, "expect": expect})
    out = {"format": "autograd-golden/1",
           "reference": f"PyTorch {torch.__version__} (Debian python3-torch), fuzz seed {args.seed}",
           "compare": "as shared/golden/autograd.json", "cases": cases}
    with open(args.out, "w") as f:
        json.dump(out, f, indent=1)
    print(f"wrote {len(cases)} cases to {args.out} ({dropped} candidates dropped)")


if __name__ == "__main__":
    main()
