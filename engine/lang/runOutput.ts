// A program's printed output, or its Python error as a thrown Error: what the tests of the language compare.
import { runProgram } from './run';

export function runOutput(src: string): string {
  const r = runProgram(src);
  if (r.error) throw new Error(`${r.error.type}: ${r.error.message} (line ${r.error.line})`);
  return r.output;
}
