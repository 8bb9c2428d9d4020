// The Korean UI (the seed blog's readers). English strings are the keys; accessible names of the
// controls other checks rely on ("Run", "Step forward", "Computational graph"...) stay English.
// A key with {0}, {1}… is a whole sentence with values in it: t('Forward step {0} of {1}', 2, 6). Korean
// puts words in another order, so a sentence is one template, never English fragments glued together.
// Never translated: the program, its print output, Python's error messages, op and grad_fn names, numbers.
import { createElement, Fragment, type ReactNode } from 'react';
import { useApp } from './store/useApp';
import { appStore } from './store/appStore';

const KO: Record<string, string> = {
  // ---- top bar and page ----
  'PyTorch autograd, step by step': 'PyTorch 자동 미분, 한 단계씩',
  Forward: '순전파',
  Backward: '역전파',
  graph: '그래프',
  'Switch view (B)': '보기 전환 (B)',
  'Share link': '링크 공유',
  'Share link: this program at this step': '링크 공유: 이 프로그램을 지금 단계로 엽니다',
  'Export SVG': 'SVG 내보내기',
  'Export PNG': 'PNG 내보내기',
  'Export the graph as SVG': '그래프를 SVG로 내보내기',
  'Export the graph as PNG': '그래프를 PNG로 내보내기',
  'Presentation mode': '발표 모드',
  'Presentation mode (P; Escape leaves it)': '발표 모드 (P, Esc로 나가기)',
  'Link copied: it opens this program at this step.': '링크를 복사했습니다. 이 프로그램을 지금 단계로 엽니다.',
  'Copy this link: {0}': '이 링크를 복사하세요: {0}',
  'Could not make the PNG in this browser; Export SVG works everywhere.': '이 브라우저에서는 PNG를 만들 수 없습니다. SVG 내보내기는 어디서나 됩니다.',
  'The graph could not be drawn for this run.': '이번 실행의 그래프를 그릴 수 없습니다.',
  'The inspector could not be drawn for this run.': '이번 실행의 검사기를 그릴 수 없습니다.',
  'Try again': '다시 시도',

  // ---- program editor and console ----
  Program: '프로그램',
  'to run': '실행',
  Run: '실행',
  'Run (Ctrl+Enter)': '실행 (Ctrl+Enter)',
  Stop: '중지',
  Examples: '예제',
  'Fitting sin(x) with a cubic': '3차식으로 sin(x) 근사하기',
  'ResNet-18: one training step': 'ResNet-18: 학습 한 단계',
  'ResNet-18: fine-tune the last layer': 'ResNet-18: 마지막 층 파인튜닝',
  'A gentle introduction to torch.autograd': 'torch.autograd에 대한 간단한 소개',
  'Tensors and autograd: a training loop': '텐서와 autograd: 학습 루프',
  'Forward, backward and SGD on torchvision’s ResNet-18': 'torchvision ResNet-18의 순전파, 역전파, SGD',
  'Frozen backbone: gradients reach only fc': '백본 고정: 기울기는 fc에만 도달합니다',
  'Line {0}, column {1}': '줄 {0}, 열 {1}',
  Stopped: '중지됨',
  'The graph shows what ran before the error.': '그래프는 오류 전까지 실행된 부분을 보여 줍니다.',
  Console: '콘솔',
  'print() output appears here.': 'print() 출력이 여기에 나타납니다.',
  'Running…': '실행 중…',
  'Ran in {0} · {1} events': '실행 시간 {0} · 이벤트 {1}개',
  'Ran in {0} · {1} events · {2} threads': '실행 시간 {0} · 이벤트 {1}개 · 스레드 {2}개',
  'Failed: {0}': '실패: {0}',
  'Failed: {0} at line {1}': '실패: {0} (줄 {1})',

  // ---- the graph ----
  'Forward graph': '순전파 그래프',
  'Backward graph': '역전파 그래프',
  'tensors named by your variables; values flow down': '변수 이름으로 표시한 텐서 · 값은 아래로 흐릅니다',
  "PyTorch's grad_fn nodes, as torchviz draws them; gradients flow up along next_functions": 'PyTorch의 grad_fn 노드 (torchviz 방식) · 기울기는 next_functions를 따라 위로 흐릅니다',
  'Nothing to draw yet: run a program that makes tensors.': '아직 그릴 것이 없습니다. 텐서를 만드는 프로그램을 실행하세요.',
  'Laying out {0} nodes…': '노드 {0}개 배치 중…',
  'Zoom in': '확대',
  'Zoom out': '축소',
  'Fit to view': '화면에 맞추기',
  'Before the loop': '반복문 이전',
  'After the loop': '반복문 이후',
  'Iteration {0} = {1}': '반복 {0} = {1}',
  'Iteration {0}': '반복 {0}',
  'loop at line {0}': '{0}번째 줄의 반복문',
  'New graph: {0} grad_fn nodes built this iteration.': '새 그래프: 이번 반복에서 grad_fn 노드 {0}개 생성',
  'New graph: {0} grad_fn nodes built this iteration; leaves {1} carried over.': '새 그래프: 이번 반복에서 grad_fn 노드 {0}개 생성 · 이어지는 리프: {1}',
  'All {0} nodes': '노드 {0}개 전체',
  'Folded by module · {0} of {1} nodes': '모듈 단위로 접음 · 노드 {1}개 중 {0}개',
  'Fold the graph by module': '그래프를 모듈 단위로 접기',
  'Draw all {0} nodes': '노드 {0}개를 모두 그리기',
  'Fold by module': '모듈 단위로 접기',
  'Show every op': '모든 연산 보기',
  // the legend
  'leaf tensor': '리프 텐서',
  'op result': '연산 결과',
  'root (output)': '루트 (출력)',
  'Python number': '파이썬 숫자',
  'no_grad: not recorded': 'no_grad: 기록 안 됨',
  'current step': '현재 단계',
  'gradient flowing': '기울기 흐름',
  'grad_fn node': 'grad_fn 노드',
  'gradient along next_functions': 'next_functions를 따르는 기울기',
  'module (click to expand)': '모듈 (클릭하면 펼침)',
  'expanded module (its title folds it)': '펼친 모듈 (제목을 누르면 접힘)',
  'frozen module': '고정된 모듈',
  'no gradient (requires_grad=False)': '기울기 없음 (requires_grad=False)',
  // in the nodes
  leaf: '리프',
  root: '루트',
  earlier: '이전',
  untracked: '추적 안 됨',
  'not run yet': '실행 전',
  'value not recorded': '값 기록 안 됨',
  '1 node': '노드 1개',
  '{0} nodes': '노드 {0}개',
  '1 op': '연산 1개',
  '{0} ops': '연산 {0}개',
  '{0} params': '파라미터 {0}개',
  'no gradient: requires_grad=False': '기울기 없음: requires_grad=False',
  '{0} (click to expand)': '{0} (클릭하면 펼침)',
  '{0} (click to fold)': '{0} (클릭하면 접힘)',
  // notices, made in English by the bridge and the canvas (see translateMessage)
  'Kept the first and last iterations; {0} in between are not drawn (their print output is shown).':
    '첫 반복과 마지막 반복만 남겼습니다. 그 사이의 {0}개 반복은 그리지 않습니다 (print 출력은 보입니다).',
  'This graph has more than {0} nodes: it stays folded by module. Expand the modules you want to see.':
    '노드가 {0}개를 넘는 그래프라 모듈 단위로 접어 둡니다. 보고 싶은 모듈을 펼치세요.',
  'The engine stopped unexpectedly. It has been restarted; run the program again.': '엔진이 예기치 않게 멈춰 다시 시작했습니다. 프로그램을 다시 실행하세요.',
  'The program ran longer than {0} s and was stopped. The graph shows what ran before.': '프로그램이 {0}초 넘게 실행되어 중지했습니다. 그래프는 그 전까지 실행된 부분을 보여 줍니다.',
  'Stopped. The graph shows what ran before.': '중지했습니다. 그래프는 그 전까지 실행된 부분을 보여 줍니다.',
  'The engine failed: {0}': '엔진 오류: {0}',

  // ---- the stepper ----
  'Forward step {0} of {1}': '순전파 단계 {0} / {1}',
  'Backward step {0} of {1}': '역전파 단계 {0} / {1}',
  'Update step {0} of {1}': '갱신 단계 {0} / {1}',
  'To start (Home)': '처음으로 (Home)',
  'Step back (←)': '한 단계 뒤로 (←)',
  'Play (space)': '재생 (Space)',
  'Pause (space)': '일시 정지 (Space)',
  'Step forward (→)': '한 단계 앞으로 (→)',
  'To end (End)': '끝으로 (End)',
  start: '시작',
  'backward ▸': '역전파 ▸',
  end: '끝',
  // captions (app/panels/stepText.ts)
  'Nothing was recorded before the error.': '오류 전까지 기록된 것이 없습니다.',
  'Nothing to step through.': '진행할 단계가 없습니다.',
  'Start: the leaves exist; no op has run yet.': '시작: 리프 텐서만 있고 아직 실행된 연산이 없습니다.',
  '(under no_grad: not recorded)': '(no_grad 안: 기록 안 됨)',
  "AccumulateGrad: {0}'s gradient {1} is returned by autograd.grad; {0}.grad is unchanged": 'AccumulateGrad: {0}의 기울기 {1}은(는) autograd.grad가 반환하고, {0}.grad는 그대로입니다',
  '{0} received grad {1}': '{0}: 기울기 {1} 받음',
  '{0} received grad {1}; sends {2}': '{0}: 기울기 {1} 받음 · 전달 {2}',
  '{0} received grad {1} (sum of {2} contributions)': '{0}: 기울기 {1} 받음 ({2}개 기여의 합)',
  '{0} received grad {1} (sum of {2} contributions); sends {3}': '{0}: 기울기 {1} 받음 ({2}개 기여의 합) · 전달 {3}',
  '{0} received grads {1}': '{0}: 출력별 기울기 {1} 받음',
  '{0} received grads {1}; sends {2}': '{0}: 출력별 기울기 {1} 받음 · 전달 {2}',
  '{0} received grads {1} (after hooks)': '{0}: 출력별 기울기 {1} 받음 (훅 적용 후)',
  '{0} received grads {1} (after hooks); sends {2}': '{0}: 출력별 기울기 {1} 받음 (훅 적용 후) · 전달 {2}',
  'none (zeros)': '없음 (0)',
  'a hook ran on it and kept it': '훅이 실행되었고 값은 그대로',
  'a hook changed it to {0}': '훅이 {0}(으)로 바꿈',
  'a hook changed it from {0}': '훅이 {0}에서 바꿈',
  'a hook after the node changed it from {0}': '노드 뒤의 훅이 {0}에서 바꿈',
  'A hook after the node (a module backward hook, grad_fn.register_hook) changed this gradient: computed {0}, sent {1}.':
    '노드 뒤의 훅(모듈 backward 훅, grad_fn.register_hook)이 이 기울기를 바꿨습니다: 계산 {0}, 전달 {1}.',
  '{0} received grad {1}; {2}': '{0}: 기울기 {1} 받음, {2}',
  '{0} received grad {1}; {2}; sends {3}': '{0}: 기울기 {1} 받음, {2} · 전달 {3}',
  '{0} received grad {1} (sum of {2} contributions); {3}': '{0}: 기울기 {1} 받음 ({2}개 기여의 합), {3}',
  '{0} received grad {1} (sum of {2} contributions); {3}; sends {4}': '{0}: 기울기 {1} 받음 ({2}개 기여의 합), {3} · 전달 {4}',

  // ---- the inspector ----
  Inspector: '검사기',
  'following the stepper': '현재 단계를 따라가는 중',
  'Follow the stepper': '현재 단계 따라가기',
  'Select a node in the graph to see its value, its gradient and the chain rule at it.': '그래프에서 노드를 선택하면 값, 기울기, 그 노드에서의 연쇄 법칙을 볼 수 있습니다.',
  'root · op result': '루트 · 연산 결과',
  'tensor from earlier': '이전에 만든 텐서',
  'in-place update': '제자리 갱신',
  'AccumulateGrad node': 'AccumulateGrad 노드',
  module: '모듈',
  frozen: '고정',
  'no_grad · not recorded': 'no_grad · 기록 안 됨',
  'line {0}': '줄 {0}',
  'Not reached yet: step forward to compute it.': '아직 계산되지 않음: 앞으로 진행하세요.',
  Op: '연산',
  Value: '값',
  '{0} elements': '원소 {0}개',
  '{0} non-finite': '유한하지 않은 값 {0}개',
  'slot {0}': '슬롯 {0}',
  number: '숫자',
  'made by': '생성 함수',
  'Gradient flowing in': '들어오는 기울기',
  'None yet: step through the backward pass.': '아직 없음: 역전파를 한 단계씩 진행해 보세요.',
  'None: this tensor does not require grad.': '없음: requires_grad=False인 텐서입니다.',
  'PyTorch does not keep this in .grad (not a leaf); it is what the backward pass sent here.': 'PyTorch는 이 값을 .grad에 보관하지 않습니다 (리프가 아님). 역전파가 여기로 보낸 값입니다.',
  'No input requires grad, so autograd recorded nothing here (grad_fn=None).': 'requires_grad인 입력이 없어 autograd가 여기서 아무것도 기록하지 않았습니다 (grad_fn=None).',
  'Computed under torch.no_grad(): not recorded in the graph, no grad_fn.': 'torch.no_grad() 안에서 계산됨: 그래프에 기록되지 않았고 grad_fn도 없습니다.',
  'a Python number: wrapped as a 0-d tensor that never requires grad': '파이썬 숫자: requires_grad가 항상 False인 0차원 텐서로 감쌉니다',
  'a Python number, input of {0}: wrapped as a 0-d tensor that never requires grad': '파이썬 숫자, {0}의 입력: requires_grad가 항상 False인 0차원 텐서로 감쌉니다',
  Update: '갱신',
  'An in-place op recorded by autograd.': 'autograd가 기록한 제자리 연산입니다.',
  'Under torch.no_grad(): the leaf is changed in place and autograd records nothing, so the next iteration builds a new graph from the updated value.':
    'torch.no_grad() 안: 리프 텐서를 제자리에서 바꾸고 autograd는 아무것도 기록하지 않습니다. 그래서 다음 반복은 갱신된 값으로 새 그래프를 만듭니다.',
  version: '버전',
  'This tensor is used {0} times, so its gradient is the sum of {0} contributions:': '이 텐서는 {0}번 쓰였으므로 기울기는 {0}개 기여의 합입니다:',
  seed: '시드',
  'from {0}': '{0}에서',
  hook: '훅',
  'A hook (register_hook) ran on this gradient and returned it unchanged: {0}': '훅(register_hook)이 이 기울기에 실행되어 값을 그대로 돌려주었습니다: {0}',
  '{0} hooks (register_hook) ran on this gradient and returned it unchanged: {1}': '훅(register_hook) {0}개가 이 기울기에 실행되어 값을 그대로 돌려주었습니다: {1}',
  'A hook (register_hook) changed this gradient before the node used it: handed {0}, returned {1}.': '노드가 쓰기 전에 훅(register_hook)이 이 기울기를 바꿨습니다. 받은 값 {0}, 돌려준 값 {1}.',
  '{0} hooks (register_hook) changed this gradient before the node used it: handed {1}, returned {2}.': '노드가 쓰기 전에 훅(register_hook) {0}개가 이 기울기를 바꿨습니다. 받은 값 {1}, 돌려준 값 {2}.',
  'Chain rule at {0}': '{0}에서의 연쇄 법칙',
  'upstream gradient × local derivative = what flows to each input': '상류 기울기 × 국소 도함수 = 각 입력으로 흐르는 값',
  '(no formula text for this op)': '(이 연산의 수식 정보 없음)',
  'upstream grad': '상류 기울기',
  "Step the backward pass to {0} to see this run's numbers.": '역전파를 {0}까지 진행하면 이번 실행의 값을 볼 수 있습니다.',
  'to {0}': '입력 {0}',
  'local derivative': '국소 도함수',
  'vector-Jacobian product': '벡터-야코비안 곱',
  "this run's numbers": '이번 실행의 값',
  "One node for {0} outputs: PyTorch runs it once, with every output's gradient ({1}). An output no gradient reached counts as zeros.":
    '출력 {0}개에 노드 하나: PyTorch는 모든 출력의 기울기({1})를 받아 한 번 실행합니다. 기울기가 도달하지 않은 출력은 0으로 칩니다.',
  'output {0}': '출력 {0}',
  'none: zeros': '없음: 0',
  'Seed gradient': '시드 기울기',
  'The output is a scalar, so {0} starts from ∂out/∂out = 1.': '출력이 스칼라이므로 {0}는 ∂out/∂out = 1에서 시작합니다.',
  'The output is not a scalar, so {0} needs the seed v. Autograd never forms the Jacobian J = ∂out/∂x; it computes the vector-Jacobian product, for every leaf x:':
    '출력이 스칼라가 아니므로 {0}에는 시드 v가 필요합니다. Autograd는 야코비안 J = ∂out/∂x를 만들지 않고, 모든 리프 x에 대해 벡터-야코비안 곱을 계산합니다:',
  "With v = ones this is the gradient of out.sum(); the tutorial's external_grad is exactly that.": 'v = ones이면 out.sum()의 기울기와 같습니다. 튜토리얼의 external_grad가 바로 이것입니다.',
  'Accumulates into': '누적 대상',
  'the leaf {0}: its {1} already held a value, so the incoming gradient is added to it (grads accumulate).': '리프 텐서 {0}: {1}에 이미 값이 있어 들어온 기울기를 더합니다 (기울기는 누적됩니다).',
  'the leaf {0}: its {1} receives the incoming gradient.': '리프 텐서 {0}: 들어온 기울기가 {1}에 저장됩니다.',
  Incoming: '들어온 기울기',
  'Not run yet.': '아직 실행되지 않음.',
  '{0}.grad after': '실행 후 {0}.grad',
  'grad_fn of': '이 grad_fn을 만든 연산',
  'Not run yet in this backward pass.': '이번 역전파에서 아직 실행되지 않았습니다.',
  'Edit value': '값 편집',
  'Changes the literal in the program and runs it again.': '프로그램의 값을 바꾸고 다시 실행합니다.',

  // ---- training and fine-tune: messages made in English by their stores and workers ----
  'Enter a number, e.g. 1e-6.': '숫자를 입력하세요 (예: 1e-6).',
  'The learning rate must be positive.': '학습률은 양수여야 합니다.',
  'At most {0}.': '최대 {0}입니다.',
  'Enter a whole number of iterations.': '반복 횟수는 정수로 입력하세요.',
  'At least 1 iteration.': '1회 이상이어야 합니다.',
  'At most {0} iterations.': '최대 {0}회입니다.',
  'A seed is a whole number ≥ 0.': '시드는 0 이상의 정수입니다.',
  'Enter a number.': '숫자를 입력하세요.',
  'Keep the start within ±1e6.': '시작값은 ±1e6 안으로 정하세요.',
  'Only iteration 0 can be inspected before training.': '학습 전에는 반복 0만 살펴볼 수 있습니다.',
  'Choose an iteration from 0 to {0}.': '0부터 {0}까지의 반복을 고르세요.',
  'The training worker stopped unexpectedly. Press Reset to start over.': '학습 워커가 예기치 않게 멈췄습니다. 초기화를 눌러 다시 시작하세요.',
  'Training failed: {0}': '학습 실패: {0}',
  'Could not record iteration {0}: {1}': '반복 {0}을(를) 기록하지 못했습니다: {1}',
  'The fine-tune worker stopped unexpectedly. Press Reset to start over.': '파인튜닝 워커가 예기치 않게 멈췄습니다. 초기화를 눌러 다시 시작하세요.',
  'Fine-tuning failed: {0}': '파인튜닝 실패: {0}',
  'Could not load the pretrained model: {0}': '사전 학습된 모델을 불러오지 못했습니다: {0}',
  'Could not record a step: {0}': '학습 단계를 기록하지 못했습니다: {0}',
};

type Arg = string | number;
export type Tr = (en: string, ...args: Arg[]) => string;

/** The table, for the tests. */
export const KO_TABLE: Readonly<Record<string, string>> = KO;

function fill(template: string, args: Arg[]): string {
  return args.length ? template.replace(/\{(\d+)\}/g, (m, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : m)) : template;
}

export function translate(lang: 'en' | 'ko', en: string, ...args: Arg[]): string {
  return fill(lang === 'ko' ? (KO[en] ?? en) : en, args);
}

/** English, with the values put in: the default translator of pure functions (captions, status). */
export const english: Tr = (en, ...args) => fill(en, args);

/** The translator for the current language (re-renders on a language switch). */
export function useT(): Tr {
  const lang = useApp((s) => s.lang);
  return (en, ...args) => translate(lang, en, ...args);
}

/** Outside React (export titles, toasts). */
export function t(en: string, ...args: Arg[]): string {
  return translate(appStore.getState().lang, en, ...args);
}

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/;

/** The width Hangul adds to a text measured at a Latin letter's width: `extra` pixels a syllable. */
export function hangulWidth(text: string, extra: number): number {
  let n = 0;
  for (const ch of text) if (HANGUL.test(ch)) n++;
  return n * extra;
}

/** A translated template with React nodes (<code>…</code>) for its {0}, {1}…: `fillNodes(t('to {0}'), <code>a</code>)`. */
export function fillNodes(template: string, ...nodes: ReactNode[]): ReactNode {
  const parts = template.split(/\{(\d+)\}/);
  return createElement(Fragment, null, ...parts.map((p, i) => (i % 2 ? nodes[Number(p)] : p)));
}

// Note: stores and workers say what went wrong in English (they know nothing of the language, and their
// tests read those words). Where such a message is shown it is translated back from its text: an exact key,
// or a template whose fixed words match around the values. Longer templates are tried first, so that
// 'At most {0} iterations.' wins over 'At most {0}.'. Python's own errors never pass through here.
let templates: { re: RegExp; ko: string; fixed: number }[] | null = null;

function messageTemplates() {
  templates ??= Object.entries(KO)
    .filter(([en]) => /\{\d+\}/.test(en))
    .map(([en, ko]) => {
      // The English's values are captured in its order; the Korean may put them in another.
      const order: number[] = [];
      const source = en
        .split(/(\{\d+\})/)
        .map((p) => {
          const m = /^\{(\d+)\}$/.exec(p);
          if (!m) return p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          order.push(Number(m[1]));
          return '([\\s\\S]*?)';
        })
        .join('');
      return {
        re: new RegExp(`^${source}$`),
        ko: ko.replace(/\{(\d+)\}/g, (_, i: string) => `{${order.indexOf(Number(i))}}`),
        fixed: en.replace(/\{\d+\}/g, '').length,
      };
    })
    .sort((a, b) => b.fixed - a.fixed);
  return templates;
}

/** A message made in English by a store or worker, in the given language. */
export function translateMessage(lang: 'en' | 'ko', text: string): string {
  if (lang === 'en') return text;
  if (KO[text] !== undefined) return KO[text];
  for (const m of messageTemplates()) {
    const hit = m.re.exec(text);
    if (hit) return fill(m.ko, hit.slice(1));
  }
  return text;
}

/** translateMessage in the current language (re-renders on a language switch). */
export function useMessageT(): (text: string) => string {
  const lang = useApp((s) => s.lang);
  return (text) => translateMessage(lang, text);
}
