#!/usr/bin/env python3
"""A differential fuzzer for printed output: seeded small programs that print tensors, Python numbers,
containers, f-strings, %-formatting, str.format, shapes, dtypes and grad_fn objects, together with the
exact stdout real PyTorch 1.13.1 / Python 3.11 printed for each.

    /usr/bin/python3 golden/gen/print_fuzz.py --seed 1 --count 200 --out /tmp/printfuzz-1.json
    npx tsx scripts/print-fuzz.ts /tmp/printfuzz-1.json          # runs them through runProgram, diffs

Values are deterministic on both sides: tensor literals written with Python's float repr, or exact
IEEE arithmetic (+ - * /) on arange/zeros/ones/full/eye; no unseeded random numbers. Object addresses
(`<MulBackward0 object at 0x7f...>`) are random in PyTorch: the runner compares them as `0x...`.
Programs that raise in Python are dropped (the error helper's golden file covers errors).
Output format: {"format": "print-fuzz/1", "seed": S, "programs": [{"id", "source", "stdout"}]}.
"""
import argparse
import contextlib
import io
import json
import math
import random

import torch

R = random.Random()

# ---- values ---------------------------------------------------------------------------------------


def lit_float(v):
    if math.isnan(v):
        return "float('nan')"
    if math.isinf(v):
        return "float('inf')" if v > 0 else "-float('inf')"
    return repr(v)


def float_value(mode):
    """One Python float of a value mode chosen to hit one of repr's branches."""
    if mode == "mixed":
        mode = R.choice(["int", "fix", "unit", "small", "large", "dyadic", "special", "bigint"])
    if mode == "int":
        return float(R.randint(-20, 20))
    if mode == "bigint":
        return float(R.choice([R.randint(-10**6, 10**6), R.randint(-10**9, 10**9), R.randint(0, 9)]))
    if mode == "fix":
        return round(R.uniform(-10, 10), R.randint(1, 6))
    if mode == "unit":
        return round(R.random(), 7)
    if mode == "small":
        return R.choice([1, -1]) * float("%.3g" % 10 ** R.uniform(-9, -3))
    if mode == "large":
        return R.choice([1, -1]) * float("%.4g" % 10 ** R.uniform(3, 12))
    if mode == "dyadic":
        # exact binary fractions: ties at the 4th/5th decimal (0.03125 -> 0.0312, half to even)
        return R.randint(-2000, 2000) / 2 ** R.randint(1, 16)
    if mode == "special":
        return R.choice([float("nan"), float("inf"), -float("inf"), -0.0, 0.0, 1.5, -2.25, 3.0])
    if mode == "edge":
        return R.choice([3.4e38, -3.4e38, 1e-38, 1.2e-45, 1e-40, 1e39, 65504.0, 1e8, 99999999.0, 1e-4,
                         9.99995e-5, 0.99995, 9.99995, 99999.5, 1e-4 * 0.99, 123456789.0, 0.0001, 1000.0])
    raise ValueError(mode)


FLOAT_MODES = ["int", "bigint", "fix", "unit", "small", "large", "dyadic", "special", "edge", "mixed", "mixed"]


def int_value():
    return R.choice([R.randint(-9, 9), R.randint(-1000, 1000), R.randint(-10**12, 10**12), R.randint(0, 1)])


def random_shape(max_numel=40):
    nd = R.choices([0, 1, 2, 3, 4], [2, 5, 5, 3, 1])[0]
    while True:
        shape = [R.choice([1, 1, 2, 2, 3, 4, 5, 7, 9, 12, 15]) if R.random() < 0.97 else 0 for _ in range(nd)]
        n = math.prod(shape)
        if n <= max_numel:
            return shape


def nested(shape, leaf):
    if not shape:
        return leaf()
    return [nested(shape[1:], leaf) for _ in range(shape[0])]


def literal(x, fmt):
    if isinstance(x, list):
        return "[" + ", ".join(literal(v, fmt) for v in x) + "]"
    return fmt(x)


DTYPES = ["float32", "float32", "float32", "float64", "int64", "bool"]


def tensor_expr(allow_grad=True, max_numel=40):
    """A torch expression (string) for a small tensor, and its dtype name."""
    dtype = R.choice(DTYPES)
    shape = random_shape(max_numel)
    kw = []
    if dtype in ("float32", "float64"):
        mode = R.choice(FLOAT_MODES)
        data = nested(shape, lambda: float_value(mode))
        text = literal(data, lit_float)
        if dtype == "float64":
            kw.append("dtype=torch.float64")
        elif R.random() < 0.2:
            kw.append("dtype=torch.float32")
        if allow_grad and R.random() < 0.3 and shape != [] and "nan" not in text:
            kw.append("requires_grad=True")
    elif dtype == "int64":
        data = nested(shape, int_value)
        text = literal(data, repr)
        if R.random() < 0.3:
            kw.append("dtype=torch.int64")
    else:
        data = nested(shape, lambda: R.random() < 0.5)
        text = literal(data, repr)
    if shape == [] or math.prod(shape) == 0:
        # torch.tensor([]) is 1-d; shaped empties and 0-d from factories
        if shape == []:
            text = literal(data, lit_float if dtype.startswith("float") else repr)
        else:
            factory = R.choice(["zeros", "ones", "empty"])
            d = {"float32": "", "float64": ", dtype=torch.float64", "int64": ", dtype=torch.int64", "bool": ", dtype=torch.bool"}[dtype]
            return f"torch.{factory}({', '.join(map(str, shape))}{d})", dtype
    return "torch.tensor(" + ", ".join([text] + kw) + ")", dtype


def big_tensor_expr():
    """A tensor around the 1000-element summarization threshold, from exact arithmetic on arange."""
    n = R.choice([6, 7, 13, 100, 999, 1000, 1001, 1002, 1024, 1200, 2000, 4096])
    shapes = [[n]]
    for a in range(2, 60):
        if n % a == 0:
            shapes.append([a, n // a])
            shapes.append([n // a, a])
            b = n // a
            for c in range(2, 20):
                if b % c == 0:
                    shapes.append([a, c, b // c])
                    d = b // c
                    for e in range(2, 8):
                        if d % e == 0:
                            shapes.append([a, c, e, d // e])
    shape = R.choice(shapes)
    dtype = R.choice(["", ", dtype=torch.float64", ", dtype=torch.float32", ", dtype=torch.int64"])
    base = f"torch.arange({n}{dtype})"
    kind = R.randint(0, 6)
    if dtype.endswith("int64)") or dtype == ", dtype=torch.int64":
        ops = R.choice(["", " * 3 - 500", " * 1000003", " - 7", " * -1"])
    else:
        ops = R.choice([
            "", " / 7", " * 0.001", " * 1e-5", " - 500.5", " * 123456.0", " / 3 - 100", " * 1e6 + 0.5",
            " / 1024", " * 2.5e-3 - 1", " * 1e9",
        ])
    expr = f"({base}{ops})" if ops else base
    if shape != [n]:
        expr += ".reshape(" + ", ".join(map(str, shape)) + ")"
    if kind == 0 and "int64" not in dtype:
        expr = f"{expr}.requires_grad_()"
    return expr


# ---- Python values and format specs --------------------------------------------------------------


def py_float():
    return R.choice([
        lambda: lit_float(float_value(R.choice(FLOAT_MODES))),
        lambda: R.choice(["0.1 + 0.2", "1 / 3", "2 / 3", "2 ** -20", "1e16", "1e15", "1e-5", "1e-4", "123456789.0 * 1000",
                          "10 / 4", "7.0", "-0.0", "2.5", "0.5", "1.5", "2.675", "1e22", "5e-324", "1.7976931348623157e308",
                          "float('nan')", "float('inf')", "-float('inf')", "3.14159265358979", "100.0", "1e100",
                          "0.000123456", "123456.789", "9.995", "0.125", "0.375", "1/7", "22/7", "-1e-7"]),
    ])()


def py_int():
    return R.choice(["0", "1", "-1", "42", "-7", "255", "1000000", "123456789", "2 ** 31", "2 ** 53", "-(2 ** 40)",
                     "10 ** 15", "7 // 2", "-7 // 2", "7 % 3", "-7 % 3", str(R.randint(-10**6, 10**6))])


def float_spec():
    fill_align = R.choice(["", "", "", ">", "<", "^", "*>", "0=", "_^"])
    sign = R.choice(["", "", "", "+", " ", "-"])
    alt = R.choice(["", "", "", "#"])
    zero = R.choice(["", "", "", "0"]) if not fill_align else ""
    width = R.choice(["", "", "", "5", "8", "10", "12", "1", "20"])
    group = R.choice(["", "", "", "", ",", "_"])
    prec = R.choice(["", ".0", ".1", ".2", ".3", ".4", ".6", ".10", ".15", ".17"])
    typ = R.choice(["f", "f", "e", "e", "g", "", "%", "E", "G", "F"])
    if not prec and typ == "" and R.random() < 0.5:
        prec = ".4"
    return fill_align + sign + alt + zero + width + group + prec + typ


def int_spec():
    fill_align = R.choice(["", "", ">", "<", "^", "*^", "0="])
    sign = R.choice(["", "", "+", " "])
    alt = R.choice(["", "", "#"])
    width = R.choice(["", "", "3", "5", "8", "12"])
    group = R.choice(["", "", "", ","])
    typ = R.choice(["d", "d", "", "x", "X", "b", "o", "e", "f", ".2f", ".3e", "g", "%", "n", "c"])
    if typ in ("x", "X", "b", "o", "c", "n"):
        group = ""
    if typ == "c":
        sign = alt = ""
    return fill_align + sign + alt + width + group + typ


def percent_spec(is_int):
    flags = R.choice(["", "", "-", "+", " ", "0", "#"])
    width = R.choice(["", "", "5", "10", "*"])
    prec = R.choice(["", "", ".0", ".2", ".4", ".10"])
    typ = R.choice(["d", "i", "x", "o", "e", "g", "s", "r"]) if is_int else R.choice(["f", "e", "E", "g", "G", "s", "r", "d", "f", "F"])
    if typ in ("s", "r"):
        flags = flags.replace("0", "").replace("#", "").replace("+", "").replace(" ", "")
    return "%" + flags + width + prec + typ


# ---- statements -----------------------------------------------------------------------------------


def stmt_print_tensor(v):
    e, dtype = tensor_expr()
    lines = [f"{v} = {e}"]
    form = R.randint(0, 9)
    if form <= 3:
        lines.append(f"print({v})")
    elif form == 4:
        lines.append(f"print(repr({v}))")
    elif form == 5:
        lines.append(f'print(f"{v} = {{{v}}}")')
    elif form == 6:
        lines.append(f"print([{v}, {v}.shape])")
    elif form == 7:
        lines.append(f"print(({v},), {{'t': {v}}})")
    elif form == 8:
        lines.append(f"print({v}.shape, {v}.dtype, {v}.size(), {v}.dim(), {v}.numel())")
    else:
        lines.append(f"print({v}.tolist())")
    return lines


def stmt_print_big(v):
    lines = [f"{v} = {big_tensor_expr()}"]
    lines.append(R.choice([f"print({v})", f"print({v})", f"print({v}.shape)", f"print({v}[0])", f"print({v}.sum())",
                           f"print({v}.reshape(-1)[:{R.randint(1, 40)}])"]))
    return lines


def stmt_grad(v):
    """A float tensor that requires grad, an op chain, printed with its grad_fn suffix or object."""
    shape = R.choice([[], [3], [2, 3], [4], [2, 2], [1, 5], [2, 1, 3]])
    mode = R.choice(["int", "fix", "unit", "dyadic", "small", "large"])
    data = nested(shape, lambda: float_value(mode))
    dt = R.choice(["", "", ", dtype=torch.float64"])
    lines = [f"{v} = torch.tensor({literal(data, lit_float)}{dt}, requires_grad=True)"]
    op = R.choice([
        f"{v} * 2", f"{v} + 1", f"{v} - 0.5", f"{v} / 4", f"{v} * {v}", f"-{v}", f"{v}.sum()", f"{v}.mean()",
        f"{v} ** 2", f"{v}.pow(2)", f"({v} * 3).sum()", f"{v}.relu()", f"{v}.clone()", f"{v}.reshape(-1)",
        f"{v}.view(-1)", f"{v}.unsqueeze(0)", f"{v}.t()" if len(shape) == 2 else f"{v} * 1.5",
        f"{v}.exp()" if mode in ("unit", "int") else f"{v} + {v}", f"torch.sigmoid({v})" if mode == "unit" else f"{v} - {v}",
        f"{v}.abs()", f"{v}.max()", f"torch.cat([{v}, {v}])" if shape else f"{v} * 4", f"{v}.detach()",
        f"{v}[0]" if shape else f"{v} / 2", f"{v}.sum(0)" if shape else f"{v}.sum()", f"{v}.neg()", f"{v}.tanh()" if mode == "unit" else f"{v} * 0.5",
    ])
    lines.append(f"{v}2 = {op}")
    form = R.randint(0, 7)
    if form <= 2:
        lines.append(f"print({v}2)")
    elif form == 3:
        lines.append(f"print({v}2.grad_fn)")
    elif form == 4:
        lines.append(f"print({v}2.grad_fn.next_functions if {v}2.grad_fn is not None else None)")
    elif form == 5:
        lines.append(f"print({v}2.requires_grad, {v}2.is_leaf, {v}.grad)")
    elif form == 6:
        lines.append(f"{v}2.sum().backward()" if op != f"{v}.detach()" else f"{v}.sum().backward()")
        lines.append(f"print({v}.grad)")
    else:
        lines.append(f"print({v}, {v}2, sep='\\n')")
    return lines


def stmt_number():
    kind = R.randint(0, 12)
    if kind == 0:
        return [f"print({py_float()})"]
    if kind == 1:
        return [f"print({', '.join(py_float() for _ in range(R.randint(1, 4)))})"]
    if kind == 2:
        return [f'print(f"{{{py_float()}:{float_spec()}}}")']
    if kind == 3:
        return [f'print(f"{{{py_int()}:{int_spec()}}}")']
    if kind == 4:
        x = py_float()
        return [f"v = {x}", f"print(round(v, {R.randint(-2, 6)}), round(v) if v == v and abs(v) != float('inf') else 0)"]
    if kind == 5:
        spec = percent_spec(False)
        args = "(5, " + py_float() + ")" if "*" in spec else py_float()
        return [f"print('{spec}' % {args})"]
    if kind == 6:
        spec = percent_spec(True)
        args = "(5, " + py_int() + ")" if "*" in spec else py_int()
        return [f"print('{spec}' % {args})"]
    if kind == 7:
        return [f"print('{{:{float_spec()}}} {{}} {{!r}}'.format({py_float()}, {py_float()}, {py_float()}))"]
    if kind == 8:
        items = [R.choice([py_float(), py_int(), "'a'", "\"it's\"", "None", "True", "(1,)", "()", "[]"]) for _ in range(R.randint(0, 4))]
        c = R.choice(["[{}]", "({},)", "{{'k': [{}]}}", "print({})"])
        inner = ", ".join(items)
        return [f"print({c.format(inner)})" if not c.startswith("print") else c.format(inner)]
    if kind == 9:
        return [f"print({py_int()}, {py_float()}, sep={R.choice([repr(''), repr(', '), repr(' | '), repr(chr(10))])}, end={R.choice([repr('!' + chr(10)), repr(chr(10) + chr(10)), repr(' END' + chr(10))])})"]
    if kind == 10:
        return [f"print(str({py_float()}), repr({py_float()}), int({R.choice(['2.7', '-2.7', '1e10', '0.5'])}), float({py_int()}))"]
    if kind == 11:
        return [f"print(format({py_float()}, '{float_spec()}'), format({py_int()}, '{int_spec()}'))"]
    return [f"print({py_float()} * {py_float()}, {py_float()} / 3, {py_int()} / {R.choice(['2', '3', '7', '1'])})"]


def stmt_tensor_number(v):
    """Numbers that come out of tensors: item(), tolist(), 0-d tensor format specs."""
    e, dtype = tensor_expr(allow_grad=False)
    lines = [f"{v} = {e}"]
    kind = R.randint(0, 6)
    if kind == 0:
        lines.append(f"print({v}.sum().item(), {v}.reshape(-1).tolist()[:5])")
    elif kind == 1 and dtype.startswith("float"):
        lines.append(f"s = {v}.sum()")
        lines.append(f'print(f"{{s:{float_spec()}}}", f"{{s.item():{float_spec()}}}")')
    elif kind == 2:
        lines.append(f'print(f"{{{v}.numel():5d}} {{{v}.dim()}}", {v}.shape, len({v}.shape))')
    elif kind == 3:
        lines.append(f"print({v}.sum(), {v}.dtype)")
    elif kind == 4 and dtype.startswith("float"):
        lines.append(f"print({v}.sum() / 3, ({v}.sum() / 3).item())")
    elif kind == 5 and dtype.startswith("float"):
        lines.append(f"print('%.3f %s' % ({v}.sum().item(), {v}.sum()))")
    else:
        lines.append(f"print({v} if {v}.numel() else 'empty', {v}.numel())")
    return lines


def stmt_factory(v):
    shape = R.choice(["3", "2, 3", "(2, 2)", "1, 4", "5", "2, 1, 2", "0", "3, 0", "1"])
    f = R.choice([f"torch.zeros({shape})", f"torch.ones({shape})", f"torch.full(({shape},), {py_float()})" if "(" not in shape else f"torch.full({shape}, 2.5)",
                  f"torch.eye({R.randint(1, 6)})", f"torch.arange({R.randint(0, 15)})", f"torch.arange({R.randint(0, 12)}.)",
                  f"torch.arange({R.randint(-5, 0)}, {R.randint(1, 9)}, {R.choice(['1', '2', '0.5', '0.25', '3'])})",
                  f"torch.linspace({R.randint(-3, 0)}, {R.randint(1, 4)}, {R.randint(1, 12)})",
                  f"torch.zeros({shape}, dtype=torch.int64)", f"torch.ones({shape}, dtype=torch.bool)",
                  f"torch.zeros({shape}, requires_grad=True)", f"torch.ones({shape}, dtype=torch.float64)",
                  f"torch.arange({R.randint(1, 12)}) > {R.randint(0, 6)}", f"torch.arange(6).reshape(2, 3) * {R.choice(['1.5', '-1', '1e-6', '1e5', '1000003'])}"])
    return [f"{v} = {f}", f"print({v})"]


def stmt_long_vector(v):
    """1-d and 2-d tensors of 40-300 elements: line wrapping at 80 columns, with each repr mode's width."""
    n = R.randint(20, 300)
    mode = R.choice(FLOAT_MODES + ["int64", "bool"])
    if mode == "int64":
        data, fmt, kw = [int_value() for _ in range(n)], repr, ""
    elif mode == "bool":
        data, fmt, kw = [R.random() < 0.5 for _ in range(n)], repr, ""
    else:
        data, fmt = [float_value(mode) for _ in range(n)], lit_float
        kw = R.choice(["", "", ", dtype=torch.float64", ", requires_grad=True"])
    lines = [f"{v} = torch.tensor({literal(data, fmt)}{kw})"]
    if R.random() < 0.4:
        for a in range(2, 20):
            if n % a == 0 and R.random() < 0.5:
                lines[0] += f".reshape({a}, {n // a})"
                break
    lines.append(f"print({v})")
    return lines


def small_float_tensor():
    shape = R.choice([[2, 3], [3, 4], [2, 2], [4, 1], [1, 5], [3, 2, 2]])
    mode = R.choice(["int", "fix", "unit", "dyadic", "small", "large", "mixed"])
    dt = R.choice(["", "", ", dtype=torch.float64"])
    rg = R.choice(["", "", ", requires_grad=True"]) if mode != "mixed" else ""
    return f"torch.tensor({literal(nested(shape, lambda: float_value(mode)), lit_float)}{dt}{rg})", len(shape)


def stmt_tensor_api(v):
    """Things students print about a tensor: max/min(dim) (torch.return_types), indexing, masks, casts, Size ops, type()."""
    e, nd = small_float_tensor()
    d = R.randint(0, nd - 1)
    lines = [f"{v} = {e}"]
    lines.append("print(" + R.choice([
        f"{v}.max(dim={d})", f"{v}.min({d}, keepdim=True)", f"torch.max({v}, {d})", f"{v}.max()", f"{v}.argmax(dim={d})",
        f"{v}.argmin()", f"{v}.shape[1:], {v}.shape + (1,), tuple({v}.shape), {v}.size(0), {v}.size()[-1], {v}.shape[::-1]",
        f"type({v}), type({v}.shape), type({v}.dtype), type({v}.sum().item()), type({v}.shape[0])",
        f"{v}[{v} > 0]", f"{v}[:, 0]", f"{v}[0]", f"{v}[-1, ...]", f"{v} > 0.5", f"({v} > 0).sum()", f"{v}.mean(dim={d})",
        f"{v}.T" if nd == 2 else f"{v}.flatten()", f"{v}.unsqueeze(0).shape, {v}.squeeze().shape", f"{v}.abs().sum(dim={d}, keepdim=True)",
        f"torch.cat([{v}, {v}]).shape, torch.stack([{v}, {v}]).shape", f"torch.stack([{v}[0], {v}[-1]])",
        f"{v}.double()", f"{v}.float()", f"{v}.long()", f"{v}.bool()", f"{v}.to(torch.float64)", f"{v}.detach().long()",
        f"{v}.sum(), {v}.sum().item()", f"{v}.tolist()", f"{v}.clamp(-1, 1)", f"{v}.std(), {v}.var()", f"torch.softmax({v}, dim={d})",
        f"{v}.numel(), {v}.ndim, {v}.dim(), len({v}), {v}.is_leaf, {v}.requires_grad", f"{v}.data", f"{v}.grad",
        f"torch.where({v} > 0, {v}, torch.zeros_like({v}))", f"{v} * 1e6", f"{v} / 1e6", f"{v} @ {v}.T" if nd == 2 else f"{v} ** 2",
    ]) + ")")
    return lines


def stmt_nn(v):
    """nn module reprs, and a seeded layer's parameters (Parameter containing: ...)."""
    a, b = R.randint(1, 6), R.randint(1, 6)
    mod = R.choice([
        f"nn.Linear({a}, {b})", f"nn.Linear({a}, {b}, bias=False)", f"nn.Conv2d({a}, {b}, {R.randint(1, 5)})",
        f"nn.Conv2d({a}, {b}, kernel_size=({R.randint(1, 3)}, {R.randint(1, 3)}), stride={R.randint(1, 3)}, padding={R.randint(0, 2)}, bias={R.choice(['True', 'False'])})",
        "nn.ReLU()", "nn.Sigmoid()", "nn.Tanh()", f"nn.Softmax(dim={R.randint(-1, 1)})", f"nn.LogSoftmax(dim=1)", f"nn.Dropout({R.choice(['0.5', '0.1', '0.0', '0.25'])})",
        f"nn.MaxPool2d({R.randint(1, 3)})", f"nn.MaxPool2d(kernel_size={R.randint(1, 3)}, stride={R.randint(1, 3)})",
        f"nn.BatchNorm2d({a})", f"nn.BatchNorm2d({a}, eps=1e-3, momentum=0.01)", "nn.Flatten()", "nn.Identity()", f"nn.AdaptiveAvgPool2d(({a}, {b}))",
        f"nn.AdaptiveAvgPool2d({a})", "nn.CrossEntropyLoss()", "nn.MSELoss()", "nn.MSELoss(reduction='sum')", "nn.NLLLoss()",
        f"nn.Sequential(nn.Linear({a}, {b}), nn.ReLU(), nn.Linear({b}, 1))",
        f"nn.Sequential(nn.Conv2d(1, {a}, 3, padding=1), nn.BatchNorm2d({a}), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear({a * 4}, {b}))",
    ])
    lines = ["import torch.nn as nn", f"torch.manual_seed({R.randint(0, 100)})", f"{v} = {mod}"]
    form = R.randint(0, 4)
    if form <= 1 or "Linear" not in mod:
        lines.append(f"print({v})")
    elif form == 2:
        lines.append(f"for name, p in {v}.named_parameters():\n    print(name, p.shape, p.requires_grad)")
    elif form == 3:
        lines.append(f"print(list({v}.parameters())[0])")
    else:
        lines.append(f"print({v}.state_dict())" if R.random() < 0.5 else f"print({v}.weight if hasattr({v}, 'weight') else {v})")
    return lines


def stmt_python_misc():
    return [R.choice([
        f"print(hex({py_int()}), oct({py_int()}), bin({R.randint(-300, 300)}))",
        f"import math\nprint(math.{R.choice(['sqrt', 'exp', 'log', 'sin', 'cos', 'tan', 'atan', 'tanh', 'log10', 'log2', 'fabs', 'floor', 'ceil', 'trunc'])}({abs(float_value('fix')) + 0.5!r}))",
        f"import math\nprint(math.pi, math.e, math.inf, -math.inf, math.nan, math.tau)",
        f"v = {py_float()}\nprint(f\"{{v=}}\", f\"{{v = :{float_spec()}}}\", f\"{{v!r:>{R.randint(1, 25)}}}\")",
        f"w = {R.randint(1, 15)}\np = {R.randint(0, 6)}\nprint(f\"{{{py_float()}:{{w}}.{{p}}f}}|{{{py_float()}:>{{w}}.{{p}}e}}|\")",
        f"print('{R.choice(['abc', 'Hello, World', 'x'])}'.{R.choice(['upper()', 'center(11, chr(42))', 'ljust(8) + chr(124)', 'rjust(8)', 'zfill(6)', 'title()', 'split(chr(44))', 'replace(chr(108), chr(76))', 'strip()', 'startswith(chr(72))'])})",
        f"print({R.choice(['True', 'False', 'None'])}, f\"{{{R.choice(['True', 'False', 'None'])}}}\", f\"{{{R.choice(['True', 'False'])}:>6}}\", str(None), [True, None])",
        f"print(list(range({R.randint(-3, 3)}, {R.randint(0, 9)}, {R.choice([1, 2, 3])})), range({R.randint(0, 5)}), range(1, 9, 2), list(enumerate('ab')), list(zip([1, 2], 'xy')))",
        f"print({{'a': {py_float()}, 'b': [{py_int()}, ({py_float()},)], 3: 'x', None: (), 'it\\'s': \"q\"}})",
        f"print(sorted([{py_float()}, {py_float()}, {py_float()}]), min({py_float()}, {py_float()}), max([{py_int()}, {py_int()}]), sum([{py_float()}, {py_float()}]), abs({py_float()}))",
        f"print('{{!a}} {{:_b}} {{:#_x}}'.format('{R.choice(['é', 'ok', '€', 'x😀'])}', {R.randint(0, 10**6)}, {R.randint(0, 10**9)}), '%{R.choice(['3', '-3', ''])}c|%a' % ('{R.choice(['a', 'Z'])}', 'ñ'), ascii([{py_float()}, 'ü']))",
        f"print('{{0:{{1}}}}|{{x:>{{w}}.{{p}}f}}'.format({py_float()}, '{float_spec()}', x={py_float()}, w={R.randint(1, 12)}, p={R.randint(0, 8)}))",
        f"print(*[{py_int()}, {py_float()}], sep='{R.choice([', ', '|', ''])}')",
        f"print(divmod({py_float()}, {R.choice(['2', '3.5', '-1.5', '7'])}), {py_float()} // {R.choice(['2', '0.3', '-4'])}, {py_float()} % {R.choice(['2', '0.3', '-4'])})",
        f"print(int({py_float()}), float({py_int()}), {py_int()} / {R.choice(['3', '7', '-2', '1'])}, {py_int()} // {R.choice(['3', '7', '-2', '1'])}, {R.randint(-99, 99)} ** {R.choice(['2', '0.5', '-1', '3'])})",
    ])]


def stmt_printoptions(v):
    """torch.set_printoptions (precision, threshold, edgeitems, linewidth, profile, sci_mode), then a tensor print."""
    args = []
    if R.random() < 0.5:
        args.append(f"precision={R.randint(0, 8)}")
    if R.random() < 0.3:
        args.append(f"threshold={R.choice([5, 10, 50, 100, 1000, 2000])}")
    if R.random() < 0.3:
        args.append(f"edgeitems={R.randint(1, 5)}")
    if R.random() < 0.3:
        args.append(f"linewidth={R.choice([20, 40, 60, 100, 120, 200])}")
    if R.random() < 0.2:
        args.append(f"profile='{R.choice(['default', 'short', 'full'])}'")
    if R.random() < 0.4:
        args.append(f"sci_mode={R.choice(['True', 'False', 'None'])}")
    lines = [f"torch.set_printoptions({', '.join(args)})"]
    lines += R.choice([stmt_print_tensor, stmt_print_tensor, stmt_long_vector, stmt_print_big, stmt_grad, stmt_factory])(v)
    return lines


STATEMENTS = [(stmt_print_tensor, 6), (stmt_print_big, 2), (stmt_grad, 3), (stmt_number, 5), (stmt_tensor_number, 2), (stmt_factory, 2),
              (stmt_long_vector, 2), (stmt_tensor_api, 4), (stmt_nn, 2), (stmt_python_misc, 3), (stmt_printoptions, 3)]


def make_program():
    lines = ["import torch"]
    for k in range(R.randint(1, 3)):
        f = R.choices([s for s, _ in STATEMENTS], [w for _, w in STATEMENTS])[0]
        lines += f() if f in (stmt_number, stmt_python_misc) else f(f"x{k}")
    return "\n".join(lines) + "\n"


def run(source):
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(source, "<fuzz>", "exec"), {"__name__": "__main__"})
    finally:
        torch.set_printoptions(profile="default", sci_mode=None)  # each program starts from the defaults
    return out.getvalue()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    R.seed(a.seed)
    programs = []
    dropped = 0
    while len(programs) < a.count:
        src = make_program()
        try:
            stdout = run(src)
        except Exception:
            dropped += 1
            continue
        programs.append({"id": f"{a.seed}-{len(programs)}", "source": src, "stdout": stdout})
    with open(a.out, "w") as f:
        json.dump({"format": "print-fuzz/1", "seed": a.seed, "reference": f"torch {torch.__version__}", "programs": programs}, f, indent=1)
    print(f"{len(programs)} programs ({dropped} dropped: they raise in Python) -> {a.out}")


if __name__ == "__main__":
    main()
