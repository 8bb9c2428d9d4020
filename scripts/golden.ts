// npm run golden -- FILE...: runs golden files; one line per failing check (case, expression, want, got)
// and a last line `N passed, M failed` counting cases. Exits non-zero on any failure.
import { runGoldenFile } from './goldenLib';

const files = process.argv.slice(2).filter((a) => a !== '--');
if (!files.length) {
  console.error('usage: npm run golden -- FILE.json [FILE.json ...]');
  process.exit(2);
}
let passed = 0;
let failed = 0;
for (const file of files) {
  let results;
  try {
    results = runGoldenFile(file);
  } catch (e) {
    console.log(`FAIL ${file}: ${(e as Error).message}`);
    failed++;
    continue;
  }
  for (const r of results) {
    if (r.ok) passed++;
    else failed++;
    const status = r.ok ? 'ok  ' : 'FAIL';
    console.log(`${status} ${r.name} (${r.ms.toFixed(0)} ms)`);
    for (const f of r.failures) console.log(`  FAIL ${f.caseName}: ${f.expr}: want ${f.want}; got ${f.got}`);
  }
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
