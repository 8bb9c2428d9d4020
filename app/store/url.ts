// The app's state as a URL hash: program, view, iteration and step. The program is data for the
// engine's interpreter only; nothing read here is ever evaluated as JavaScript or written as HTML.
import type { View } from '../graph/model';

export interface UrlState {
  program?: string;
  view?: View;
  segment?: number;
  position?: number;
  presentation?: boolean;
}

/** Longest program accepted from a URL (a guard against absurd links, far above any tutorial). */
const MAX_PROGRAM_CHARS = 200_000;

export function encodeProgram(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function decodeProgram(b64: string): string | null {
  try {
    const norm = b64.replace(/-/g, '+').replace(/_/g, '/');
    const bin = atob(norm + '='.repeat((4 - (norm.length % 4)) % 4));
    const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return text.length <= MAX_PROGRAM_CHARS ? text : null;
  } catch {
    return null;
  }
}

export function encodeHash(s: UrlState): string {
  const parts: string[] = [];
  if (s.view) parts.push(`view=${s.view}`);
  if (s.segment !== undefined) parts.push(`it=${s.segment}`);
  if (s.position !== undefined) parts.push(`step=${s.position}`);
  if (s.presentation) parts.push('present=1');
  if (s.program !== undefined) parts.push(`program=${encodeProgram(s.program)}`);
  return `#${parts.join('&')}`;
}

const intParam = (v: string | null): number | undefined => (v !== null && /^\d{1,7}$/.test(v) ? Number(v) : undefined);

export function decodeHash(hash: string): UrlState {
  const out: UrlState = {};
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const view = params.get('view');
  if (view === 'forward' || view === 'backward') out.view = view;
  const segment = intParam(params.get('it'));
  if (segment !== undefined) out.segment = segment;
  const position = intParam(params.get('step'));
  if (position !== undefined) out.position = position;
  if (params.get('present') === '1') out.presentation = true;
  const program = params.get('program');
  if (program) {
    const text = decodeProgram(program);
    if (text !== null) out.program = text;
  }
  return out;
}
