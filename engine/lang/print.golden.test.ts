// Programs that print (golden/print.json: 150 programs of the printed-output fuzzer, golden/gen/print_fuzz.py
// --seed 2026, with the stdout real PyTorch 1.13.1 / Python 3.11 printed): the output must be the same, byte for
// byte, but for object addresses (`<MulBackward0 object at 0x...>`), which are PyTorch's random ones.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runProgram } from './run';

interface PrintCase {
  id: string;
  source: string;
  stdout: string;
}

const { programs } = JSON.parse(readFileSync(new URL('../../golden/print.json', import.meta.url), 'utf8')) as { programs: PrintCase[] };
const normalize = (s: string): string => s.replace(/ at 0x[0-9a-f]+>/g, ' at 0x...>');

describe('print() output reads as PyTorch/Python print it', () => {
  for (const p of programs) {
    const first = p.source.split('\n').find((l) => l.startsWith('print') || l.includes('print(')) ?? '';
    it(`${p.id}: ${first.slice(0, 70)}`, () => {
      const r = runProgram(p.source);
      expect(r.error?.message).toBeUndefined();
      expect(normalize(r.output)).toBe(normalize(p.stdout));
    });
  }
});
