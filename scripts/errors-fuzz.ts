// Runs the failing programs golden/gen/errors_fuzz.py generated (with what real Python 3.11 / PyTorch 1.13
// raised for each) through the language and prints each difference: exception type, message, line, the
// column of a syntax error, CPython's "Did you mean" hint, and any JavaScript-internal text leaking out.
//
//   /usr/bin/python3 golden/gen/errors_fuzz.py --seed 1 --count 150 --out /tmp/errfuzz-1.json
//   npx tsx scripts/errors-fuzz.ts /tmp/errfuzz-1.json [more.json ...] [--hints] [--quiet]
//
// Exit status 1 when a case differs (hint differences count only with --hints). Also reads
// golden/errors.json (no "col"/"hint" there). A dev tool; the regression cases live in golden/gen/errors.py.
import { readFileSync } from 'node:fs';
import { runProgram } from '../engine/lang/run';
import { formatError } from '../engine/lang/errors';

interface FuzzCase {
  kind?: string;
  program: string;
  type: string | null;
  message: string | null;
  line: number | null;
  col?: number;
  hint?: string;
}

const args = process.argv.slice(2);
const checkHints = args.includes('--hints');
const quiet = args.includes('--quiet');
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  console.error('usage: npx tsx scripts/errors-fuzz.ts FILE.json [...] [--hints] [--quiet]');
  process.exit(2);
}

// Text that only a JavaScript failure produces: never acceptable in a message the program sees.
const JS_LEAK = /undefined|\bnull\b|NaN|is not a function|Cannot read prop|is not iterable|Maximum call stack|\[object |Invalid array length|of undefined/;

let total = 0;
let bad = 0;
let hintBad = 0;
const byKind = new Map<string, number>();
for (const file of files) {
  const { cases } = JSON.parse(readFileSync(file, 'utf8')) as { cases: FuzzCase[] };
  for (const c of cases) {
    total++;
    let r;
    try {
      r = runProgram(c.program);
    } catch (e) {
      bad++;
      console.log(`=== ${file} [${c.kind ?? ''}] runProgram threw: ${String(e)}\n${c.program}\n`);
      continue;
    }
    const diffs: string[] = [];
    if (c.type === null) {
      if (!r.ok) diffs.push(`expected no error, got ${r.error!.type}: ${r.error!.message} (line ${r.error!.line})`);
    } else if (r.ok) {
      diffs.push(`expected ${c.type}: ${c.message} (line ${c.line}), got no error`);
    } else {
      const e = r.error!;
      if (e.type !== c.type) diffs.push(`type: expected ${c.type}, got ${e.type}`);
      if (e.message !== c.message) diffs.push(`message:\n    expected ${JSON.stringify(c.message)}\n    got      ${JSON.stringify(e.message)}`);
      if (e.line !== c.line) diffs.push(`line: expected ${c.line}, got ${e.line}`);
      if (c.col !== undefined && e.col !== c.col) diffs.push(`col: expected ${c.col}, got ${e.col}`);
      if (JS_LEAK.test(e.message) && !JS_LEAK.test(c.message ?? '')) diffs.push(`JavaScript text in the message`);
      if ((e.hint ?? undefined) !== c.hint) {
        if (checkHints) diffs.push(`hint: expected ${c.hint ?? '(none)'}, got ${e.hint ?? '(none)'}`);
        else hintBad++;
      }
    }
    if (diffs.length) {
      bad++;
      byKind.set(c.kind ?? '?', (byKind.get(c.kind ?? '?') ?? 0) + 1);
      if (!quiet) {
        const shown = r.ok ? '' : '\n' + formatError(r.error!, c.program).replace(/^/gm, '  | ');
        console.log(`=== ${file} [${c.kind ?? ''}]\n${c.program.replace(/^/gm, '  > ')}\n  ${diffs.join('\n  ')}${shown}\n`);
      }
    }
  }
}
const kinds = [...byKind].map(([k, n]) => `${k} ${n}`).join(', ');
console.log(`${total} programs, ${bad} mismatches${kinds ? ` (${kinds})` : ''}${checkHints ? '' : `; ${hintBad} hint differences (--hints to list)`}`);
process.exit(bad ? 1 : 0);
