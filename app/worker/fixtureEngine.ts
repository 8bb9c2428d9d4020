// Stand-in for the engine while its interpreter is being written: replays the hand-written events of
// the built-in examples. Any other program gets a clear error.
import type { GraphEvent } from '../../engine/events';
import { fanoutEvents, FANOUT_PROGRAM, loopEvents, LOOP_PROGRAM, TUTORIAL_PROGRAM, tutorialEvents } from '../store/fixtures/events';
import type { OpFormulaEntry } from './protocol';
import type { RunError } from '../store/types';

const FIXTURE_OPS: OpFormulaEntry[] = [
  { name: 'add', label: '+', gradFn: 'AddBackward0', inputs: ['self', 'other'], formulas: { self: 'grad', other: 'grad' } },
  { name: 'sub', label: '−', gradFn: 'SubBackward0', inputs: ['self', 'other'], formulas: { self: 'grad', other: '-grad' } },
  { name: 'mul', label: '×', gradFn: 'MulBackward0', inputs: ['self', 'other'], formulas: { self: 'grad * other', other: 'grad * self' } },
  { name: 'pow', label: '**', gradFn: 'PowBackward0', inputs: ['self'], formulas: { self: 'grad * exponent * self.pow(exponent - 1)' } },
];

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

export function fixtureRun() {
  let listeners: ((e: GraphEvent) => void)[] = [];
  return {
    kind: 'fixtures' as const,
    ops: FIXTURE_OPS,
    subscribe(l: (e: GraphEvent) => void) {
      listeners.push(l);
      return () => {
        listeners = listeners.filter((x) => x !== l);
      };
    },
    run(source: string): { ok: boolean; error?: RunError | null } {
      const table: [string, () => GraphEvent[]][] = [
        [TUTORIAL_PROGRAM, tutorialEvents],
        [FANOUT_PROGRAM, fanoutEvents],
        [LOOP_PROGRAM, loopEvents],
      ];
      const hit = table.find(([p]) => norm(p) === norm(source));
      if (!hit) {
        const lines = source.split('\n');
        const line = Math.max(1, lines.findIndex((l) => l.trim() && !l.startsWith('import')) + 1);
        return { ok: false, error: { type: 'NotImplementedError', message: 'the engine is not available in this build yet', line, col: 1 } };
      }
      for (const e of hit[1]()) for (const l of listeners) l(e);
      return { ok: true };
    },
  };
}
