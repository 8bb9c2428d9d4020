// node:fs for the suites when they run in a browser worker: readFileSync(url) as a synchronous GET
// (allowed in workers). The suites read their inputs with new URL('../../…', import.meta.url), which
// Vite turns into the built asset's address.
export function readFileSync(path: string | URL, encoding?: string | { encoding?: string }): string | Uint8Array {
  const xhr = new XMLHttpRequest();
  xhr.open('GET', String(path), false);
  xhr.responseType = 'arraybuffer';
  xhr.send();
  if (xhr.status !== 200) throw new Error(`readFileSync: GET ${String(path)} → ${xhr.status}`);
  const bytes = new Uint8Array(xhr.response as ArrayBuffer);
  const enc = typeof encoding === 'string' ? encoding : encoding?.encoding;
  return enc ? new TextDecoder().decode(bytes) : bytes;
}

export function writeFileSync(): never {
  throw new Error('writeFileSync is not available in the browser benchmark');
}
