import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { english, KO_TABLE, translate, translateMessage, type Tr } from './i18n';
import { buildRun } from './store/reduce';
import { frameAt, statusText } from './store/frame';
import { tutorialEvents } from './store/fixtures/events';
import { stepCaption } from './panels/stepText';
import { legendItems, legendWidth } from './graph/Legend';
import { EXAMPLES } from './panels/examples';
import { checkIterations, checkLearningRate, checkSeed } from './training/validate';

const ko: Tr = (en, ...args) => translate('ko', en, ...args);
const placeholders = (s: string) => [...new Set(s.match(/\{\d+\}/g) ?? [])].sort();

/** Every .ts/.tsx file under app/ but the tests. */
function sources(dir = import.meta.dirname): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** The first argument of every t(…) / tr(…) call, as source text. */
function firstArguments(text: string): string[] {
  const out: string[] = [];
  const call = /(?<![\w.$])(?:t|tr)\(/g;
  for (let m = call.exec(text); m; m = call.exec(text)) {
    let depth = 0;
    let i = m.index + m[0].length;
    const start = i;
    for (; i < text.length; i++) {
      const c = text[i];
      if (c === "'" || c === '"' || c === '`') {
        // Skip the string (escapes included).
        for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
      } else if (c === '(' || c === '[' || c === '{') depth++;
      else if (c === ')' || c === ']' || c === '}') {
        if (depth === 0) break;
        depth--;
      } else if (c === ',' && depth === 0) break;
    }
    out.push(text.slice(start, i));
  }
  return out;
}

/** The string literals in a piece of source ('a', "b"; `c` without ${}), but those compared with (view === 'forward'). */
function literals(arg: string): string[] {
  const out: string[] = [];
  for (const m of arg.matchAll(/'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)"|`((?:[^`\\$]|\\.)*)`/g)) {
    if (/[=!]==\s*$/.test(arg.slice(0, m.index))) continue;
    out.push((m[1] ?? m[2] ?? m[3]).replace(/\\(.)/g, '$1'));
  }
  return out;
}

describe('the Korean table', () => {
  it('has a non-empty translation for every key, with the same placeholders', () => {
    for (const [en, k] of Object.entries(KO_TABLE)) {
      expect(k.trim(), en).not.toBe('');
      expect(placeholders(k), en).toEqual(placeholders(en));
    }
  });

  it('translates every literal key that app/ passes to t() or tr()', () => {
    const keys = new Map<string, string>();
    for (const file of sources()) {
      for (const arg of firstArguments(readFileSync(file, 'utf8'))) for (const key of literals(arg)) keys.set(key, relative(import.meta.dirname, file));
    }
    // The scan finds the calls (a scan that finds nothing would pass anything).
    expect(keys.size).toBeGreaterThan(150);
    expect(keys.get('Backward step {0} of {1}')).toBe('store/frame.ts');
    const missing = [...keys].filter(([key]) => KO_TABLE[key] === undefined).map(([key, file]) => `${file}: ${key}`);
    expect(missing).toEqual([]);
  });

  it('translates the legend and the examples menu, whose words reach t() through a table', () => {
    const labels = (['forward', 'backward'] as const).flatMap((v) => legendItems(v, { modules: true, clusters: true, frozen: true, cut: true }).map((i) => i.label));
    // Identifiers (AccumulateGrad, requires_grad=False) stay as they are.
    expect(labels.filter((l) => l.includes(' ') && !KO_TABLE[l])).toEqual([]);
    const words = EXAMPLES.flatMap((e) => [e.note, ...(/^\w = /.test(e.title) ? [] : [e.title])]);
    expect(words.filter((w) => !KO_TABLE[w])).toEqual([]);
  });
});

describe('Korean words for a run (the tutorial, Q = 3a³ − b²)', () => {
  const run = buildRun(tutorialEvents());

  it('says where the stepper is, in English by default and in Korean when asked', () => {
    expect(statusText(frameAt(run, 0, 4))).toBe('Forward step 4 of 4');
    expect(statusText(frameAt(run, 0, 4), ko)).toBe('순전파 단계 4 / 4');
    expect(statusText(frameAt(run, 0, 6), ko)).toBe('역전파 단계 2 / 6');
  });

  it('captions each step as one Korean sentence, keeping names, values and code as they are', () => {
    expect(stepCaption(run, frameAt(run, 0, 0), ko)).toBe('시작: 리프 텐서만 있고 아직 실행된 연산이 없습니다.');
    // The forward caption is code: the same in both languages.
    expect(stepCaption(run, frameAt(run, 0, 4), ko)).toBe(stepCaption(run, frameAt(run, 0, 4)));
    const en = stepCaption(run, frameAt(run, 0, 5));
    const k = stepCaption(run, frameAt(run, 0, 5), ko);
    expect(en).toMatch(/^SubBackward0 received grad \[1, 1\]; sends /);
    expect(k).toMatch(/^SubBackward0: 기울기 \[1, 1\] 받음 · 전달 /);
    // Same values sent to the same nodes.
    expect(k.split(' · 전달 ')[1]).toBe(en.split('; sends ')[1]);
    expect(stepCaption(run, frameAt(run, 0, 7), ko)).toBe(stepCaption(run, frameAt(run, 0, 7), english));
  });
});

describe('messages made in English by stores and workers', () => {
  it('are translated from their text, values kept, the longer template first', () => {
    expect(translateMessage('ko', checkLearningRate('abc')!)).toBe('숫자를 입력하세요 (예: 1e-6).');
    expect(translateMessage('ko', checkSeed('-1')!)).toBe('시드는 0 이상의 정수입니다.');
    const tooMany = checkIterations('1e9')!;
    expect(tooMany).toMatch(/^At most [\d,]+ iterations\.$/);
    expect(translateMessage('ko', tooMany)).toBe(`최대 ${/[\d,]+/.exec(tooMany)![0]}회입니다.`);
    expect(translateMessage('ko', 'Could not record iteration 7: out of memory')).toBe('반복 7을(를) 기록하지 못했습니다: out of memory');
  });

  it('leave English alone, and Python errors untouched', () => {
    expect(translateMessage('en', 'Enter a number.')).toBe('Enter a number.');
    expect(translateMessage('ko', "name 'x' is not defined")).toBe("name 'x' is not defined");
  });
});

describe('the exported legend', () => {
  it('makes room for Korean labels, which are shorter in letters but wider on the page', () => {
    for (const view of ['forward', 'backward'] as const) {
      const items = legendItems(view);
      // 11.5 px a Hangul syllable, 6.4 px a Latin letter, 52 px of swatch and gaps per item.
      const room = items.reduce((w, it) => w + 52 + [...ko(it.label)].reduce((a, ch) => a + (/[가-힣]/.test(ch) ? 11.5 : 6.4), 0), 0);
      expect(legendWidth(view, {}, ko)).toBeCloseTo(room);
      expect(legendWidth(view)).toBeCloseTo(items.reduce((w, it) => w + 52 + it.label.length * 6.4, 0));
    }
  });
});
