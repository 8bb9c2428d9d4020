// The Korean UI (the seed blog's readers). English strings are the keys; accessible names of the
// controls other checks rely on ("Run", "Step forward", "Computational graph"...) stay English.
import { useApp } from './store/useApp';
import { appStore } from './store/appStore';

const KO: Record<string, string> = {
  Program: '프로그램',
  'to run': '실행',
  Console: '콘솔',
  'print() output appears here.': 'print() 출력이 여기에 나타납니다.',
  Inspector: '검사기',
  'following the stepper': '현재 단계를 따라가는 중',
  'Follow the stepper': '현재 단계 따라가기',
  'Forward graph': '순전파 그래프',
  'Backward graph': '역전파 그래프',
  'tensors named by your variables; values flow down': '변수 이름으로 표시한 텐서 · 값은 아래로 흐릅니다',
  "PyTorch's grad_fn nodes, as torchviz draws them; gradients flow up along next_functions": 'PyTorch의 grad_fn 노드 (torchviz 방식) · 기울기는 next_functions를 따라 위로 흐릅니다',
  'leaf tensor': '리프 텐서',
  'op result': '연산 결과',
  'root (output)': '루트 (출력)',
  'Python number': '파이썬 숫자',
  'no_grad: not recorded': 'no_grad: 기록 안 됨',
  'current step': '현재 단계',
  'gradient flowing': '기울기 흐름',
  'grad_fn node': 'grad_fn 노드',
  'gradient along next_functions': 'next_functions를 따르는 기울기',
  Op: '연산',
  Value: '값',
  'Gradient flowing in': '들어오는 기울기',
  'Seed gradient': '시드 기울기',
  'Edit value': '값 편집',
  Update: '갱신',
  'grad_fn of': 'grad_fn 대상',
  'Accumulates into': '누적 대상',
  Incoming: '들어온 기울기',
  'upstream gradient × local derivative = what flows to each input': '상류 기울기 × 국소 도함수 = 각 입력으로 흐르는 값',
  'upstream grad': '상류 기울기',
  'None yet: step through the backward pass.': '아직 없음: 역전파를 한 단계씩 진행해 보세요.',
  'Select a node in the graph to see its value, its gradient and the chain rule at it.': '그래프에서 노드를 선택하면 값, 기울기, 그 노드에서의 연쇄 법칙을 볼 수 있습니다.',
  'The graph shows what ran before the error.': '그래프는 오류 전까지 실행된 부분을 보여 줍니다.',
  start: '시작',
  'backward ▸': '역전파 ▸',
  end: '끝',
  'Before the loop': '반복문 이전',
  'After the loop': '반복문 이후',
  Iteration: '반복',
  'Chain rule at': '연쇄 법칙:',
  'local derivative': '국소 도함수',
  'vector-Jacobian product': '벡터-야코비안 곱',
  "this run's numbers": '이번 실행의 값',
  'Changes the literal in the program and runs it again.': '프로그램의 값을 바꾸고 다시 실행합니다.',
  'Not reached yet: step forward to compute it.': '아직 계산되지 않음: 앞으로 진행하세요.',
};

export type Tr = (en: string) => string;

export function translate(lang: 'en' | 'ko', en: string): string {
  return lang === 'ko' ? (KO[en] ?? en) : en;
}

/** The translator for the current language (re-renders on a language switch). */
export function useT(): Tr {
  const lang = useApp((s) => s.lang);
  return (en) => translate(lang, en);
}

/** Outside React (export titles). */
export function t(en: string): string {
  return translate(appStore.getState().lang, en);
}
