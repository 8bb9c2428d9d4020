// Rewrites a leaf's literal in the program (the inspector's value editor). Pure string work.
import type { SourcePos } from '../../engine/events';
import { offsetOf } from './Editor';

/** Python literal for values of a shape: [[1.0, 2.0], [3.0, 4.0]]. */
export function pyLiteral(values: number[], shape: number[], float: boolean): string {
  const num = (x: number) => (float && Number.isInteger(x) ? `${x}.` : String(x));
  if (shape.length === 0) return num(values[0]);
  let i = 0;
  const rec = (d: number): string => {
    const parts: string[] = [];
    for (let k = 0; k < shape[d]; k++) parts.push(d === shape.length - 1 ? num(values[i++]) : rec(d + 1));
    return `[${parts.join(', ')}]`;
  };
  return rec(0);
}

/**
 * The source with the first argument of the creation call at `pos` (torch.tensor([...], ...)) replaced.
 * Null when that argument is not a literal (a variable, an expression): nothing is rewritten then.
 */
export function replaceTensorLiteral(source: string, pos: SourcePos, literal: string): string | null {
  const from = offsetOf(source, pos.line, pos.col);
  const open = source.indexOf('(', from);
  if (open < 0) return null;
  const lineEnd = source.indexOf('\n', from);
  if (pos.endLine === undefined && lineEnd >= 0 && open > lineEnd) return null;
  let depth = 0;
  let end = -1;
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i];
    if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      if (depth === 0) {
        end = i;
        break;
      }
      depth--;
    } else if (c === ',' && depth === 0) {
      end = i;
      break;
    }
  }
  if (end < 0) return null;
  const arg = source.slice(open + 1, end);
  if (!/^\s*[-+\d.[\]\s,eE]+\s*$/.test(arg)) return null;
  return source.slice(0, open + 1) + literal + source.slice(end);
}
