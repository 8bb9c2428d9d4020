// The backward graph PyTorch 1.13 records for 114 expressions and statements (golden/graphs.json, from
// golden/gen/graphs.py with real PyTorch): grad_fn class names along next_functions, None where PyTorch has
// None. The backward view of the canvas draws exactly this.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runProgram } from './run';

interface GraphCase {
  program: string;
  expr: string;
  graph: string;
}

const golden = JSON.parse(readFileSync(new URL('../../golden/graphs.json', import.meta.url), 'utf8')) as { walk: string; setup: string; cases: GraphCase[] };

describe("grad_fn graphs match PyTorch's", () => {
  for (const c of golden.cases) {
    it(c.program.replace(/\n/g, '; '), () => {
      const r = runProgram(`${golden.walk}${golden.setup}${c.program}\ngraph = '\\n'.join(walk(${c.expr}.grad_fn))\n`);
      if (!r.ok) throw new Error(`${r.error!.type}: ${r.error!.message} (line ${r.error!.line})`);
      expect(r.evaluate('graph')).toBe(c.graph);
    });
  }
});
