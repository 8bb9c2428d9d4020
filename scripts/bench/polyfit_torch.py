# The tutorial's 2000-iteration autograd loop (golden/polyfit.json's program, as pasted) in real PyTorch,
# one thread, timed as the bench times ours: a few warm-up runs, then the median of N runs.
#   /usr/bin/python3 scripts/bench/polyfit_torch.py [N]
import json, math, os, statistics, sys, time
import torch

torch.set_num_threads(1)
here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, '..', '..', 'golden', 'polyfit.json')) as f:
    program = json.load(f)['cases'][0]['program']
code = compile(program, 'polyfit', 'exec')

def run():
    # print goes nowhere, as the bench's onPrint does.
    exec(code, {'print': lambda *a, **k: None})

n = int(sys.argv[1]) if len(sys.argv) > 1 else 15
for _ in range(3):
    run()
times = []
for _ in range(n):
    t0 = time.perf_counter()
    run()
    times.append(time.perf_counter() - t0)
print(f'torch {torch.__version__} polyfit 2000 it (program as pasted, 1 thread): median {statistics.median(times) * 1e3:.1f} ms, min {min(times) * 1e3:.1f} ms over {n} runs')
