// The printed-output fuzzer's runner: runs the programs of files written by golden/gen/print_fuzz.py through
// runProgram and compares what they print with what real PyTorch/Python printed.
//
//   /usr/bin/python3 golden/gen/print_fuzz.py --seed 1 --count 200 --out /tmp/printfuzz-1.json
//   npx tsx scripts/print-fuzz.ts /tmp/printfuzz-1.json [more.json ...] [--verbose] [--only ID]
//
// One block per mismatch: the program id, the first differing line (PyTorch's, then ours) and, with --verbose
// (or --only), the program and both outputs. Object addresses (`object at 0x7f...`) compare as `0x...`, since
// PyTorch's are random. Last line: `N programs, M mismatches`. Exits 1 when anything differs.
import { readFileSync } from 'node:fs';
import { runProgram } from '../engine/lang/run';

interface Program {
  id: string;
  source: string;
  stdout: string;
}

const args = process.argv.slice(2).filter((a) => a !== '--');
const verbose = args.includes('--verbose');
const onlyAt = args.indexOf('--only');
const only = onlyAt >= 0 ? args[onlyAt + 1] : undefined;
const files = args.filter((a, i) => !a.startsWith('--') && (onlyAt < 0 || i !== onlyAt + 1));
if (!files.length) {
  console.error('usage: npx tsx scripts/print-fuzz.ts FILE.json [...] [--verbose] [--only ID]');
  process.exit(2);
}

const normalize = (s: string): string => s.replace(/ at 0x[0-9a-f]+>/g, ' at 0x...>');

let total = 0;
let mismatches = 0;
for (const file of files) {
  const data = JSON.parse(readFileSync(file, 'utf8')) as { programs: Program[] };
  for (const p of data.programs) {
    if (only && p.id !== only) continue;
    total++;
    let got: string;
    try {
      const r = runProgram(p.source);
      got = r.output + (r.ok ? '' : `<<${r.error!.type}: ${r.error!.message} (line ${r.error!.line})>>\n`);
    } catch (e) {
      got = `<<crash: ${(e as Error).stack}>>\n`;
    }
    const want = normalize(p.stdout);
    got = normalize(got);
    if (got === want) continue;
    mismatches++;
    const w = want.split('\n');
    const g = got.split('\n');
    let i = 0;
    while (i < w.length && i < g.length && w[i] === g[i]) i++;
    console.log(`MISMATCH ${p.id} line ${i + 1}`);
    console.log(`  want: ${JSON.stringify(w[i] ?? '<end>')}`);
    console.log(`  got:  ${JSON.stringify(g[i] ?? '<end>')}`);
    if (verbose || only) {
      console.log('--- program\n' + p.source + '--- want\n' + want + '--- got\n' + got + '---');
    }
  }
}
console.log(`${total} programs, ${mismatches} mismatches`);
process.exit(mismatches ? 1 : 0);
