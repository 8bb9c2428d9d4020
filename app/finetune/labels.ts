// The fine-tune panel's words, in English and Korean. Class names stay in English in both (they are the
// data set's names, as the code says them).
import type { FinetuneStatus, Progress } from './protocol';

export type Lang = 'en' | 'ko';

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const int = (n: number) => n.toLocaleString('en-US');

export interface FinetuneLabels {
  title: string;
  subtitle: string;
  start: string;
  resume: string;
  pause: string;
  reset: string;
  showGraph: string;
  showGraphHint: string;
  recording: string;
  progress: string;
  status: Record<FinetuneStatus, string>;
  epochOf: (epoch: number, epochs: number) => string;
  stepOf: (step: number, steps: number) => string;
  phase: (phase: Progress['phase'], done: number, total: number) => string;
  seconds: (ms: number) => string;
  heldOut: (accuracy: number | null) => string;
  goal: string;
  model: string;
  pretrainedOn: (classes: string[], accuracy: number) => string;
  newTask: (classes: readonly string[]) => string;
  trainable: string;
  frozen: string;
  part: string;
  inside: string;
  parameters: string;
  state: string;
  recipe: string;
  recipeText: (r: { trainPerClass: number; testPerClass: number; epochs: number; batch: number; lr: number; momentum: number; schedule: string; seed: number }) => string;
  lossTitle: string;
  accuracyTitle: string;
  trainLoss: string;
  heldOutLoss: string;
  trainAccuracy: string;
  heldOutAccuracy: string;
  step: string;
  epoch: string;
  samples: string;
  samplesNote: string;
  truth: string;
  predicted: string;
  notYet: string;
  sampleAria: (k: number, truth: string, pred: string | null) => string;
  code: string;
  cacheNote: string;
  shown: (step: number) => string;
}

export const LABELS: Record<Lang, FinetuneLabels> = {
  en: {
    title: 'Fine-tune a pretrained ResNet',
    subtitle: 'Freeze the backbone (requires_grad = False), replace the head, train only the head.',
    start: 'Start fine-tuning',
    resume: 'Resume',
    pause: 'Pause',
    reset: 'Reset',
    showGraph: 'Show graph',
    showGraphHint: 'Record the next training step of the whole model and open it in the graph',
    recording: 'Recording…',
    progress: 'Fine-tuning progress',
    status: { loading: 'Loading model', ready: 'Ready', running: 'Training', paused: 'Paused', done: 'Done', failed: 'Failed' },
    epochOf: (e, n) => `Epoch ${e} of ${n}`,
    stepOf: (s, n) => `step ${int(s)} of ${int(n)}`,
    phase: (p, done, total) =>
      p === 'backbone'
        ? `backbone forward: ${int(done)} of ${int(total)} images`
        : p === 'evaluate'
          ? `held-out evaluation: ${int(done)} of ${int(total)} images`
          : p === 'head'
            ? 'head only (backbone features cached)'
            : '',
    seconds: (ms) => `${(ms / 1000).toFixed(1)} s`,
    heldOut: (a) => (a === null ? 'Held-out accuracy —' : `Held-out accuracy ${pct(a)}`),
    goal: '90% goal',
    model: 'Model',
    pretrainedOn: (c, a) => `Pretrained on ${c.join(', ')} (held-out accuracy ${pct(a)}).`,
    newTask: (c) => `New task: ${c.join(', ')}.`,
    trainable: 'Trainable',
    frozen: 'Frozen',
    part: 'Part',
    inside: 'Inside',
    parameters: 'Parameters',
    state: 'State',
    recipe: 'Recipe',
    recipeText: (r) =>
      `${r.trainPerClass} training and ${r.testPerClass} held-out images per class · ${r.epochs} epochs · batch ${r.batch} · SGD lr ${r.lr} (${r.schedule}), momentum ${r.momentum} · seed ${r.seed}`,
    lossTitle: 'Loss',
    accuracyTitle: 'Accuracy',
    trainLoss: 'training loss (per step)',
    heldOutLoss: 'held-out loss (per epoch)',
    trainAccuracy: 'training accuracy',
    heldOutAccuracy: 'held-out accuracy',
    step: 'step',
    epoch: 'epoch',
    samples: 'Held-out samples',
    samplesNote: 'Images the head never trains on, with its prediction after the last epoch.',
    truth: 'true',
    predicted: 'pred.',
    notYet: 'not yet',
    sampleAria: (k, t, p) => `Held-out image ${k}: ${t}; ${p === null ? 'no prediction yet' : p === t ? `predicted ${p}, right` : `predicted ${p}, wrong`}`,
    code: 'What runs',
    cacheNote:
      'The backbone is frozen and in eval mode, so its output for an image never changes: each image goes through it once (epoch 1 and the first evaluation) and its 64 features are kept; later epochs only run the head. Show graph records one whole step: the full forward through every module, then backward, which stops at the head.',
    shown: (s) => `Step ${s} is in the graph.`,
  },
  ko: {
    title: '사전 학습된 ResNet 파인튜닝',
    subtitle: '백본을 고정하고(requires_grad = False) 헤드를 바꾼 뒤, 헤드만 학습합니다.',
    start: '파인튜닝 시작',
    resume: '이어서',
    pause: '일시 정지',
    reset: '초기화',
    showGraph: '그래프 보기',
    showGraphHint: '모델 전체의 다음 학습 단계를 기록해 그래프에서 엽니다',
    recording: '기록 중…',
    progress: '파인튜닝 진행',
    status: { loading: '모델 불러오는 중', ready: '준비', running: '학습 중', paused: '일시 정지', done: '완료', failed: '실패' },
    epochOf: (e, n) => `에폭 ${e} / ${n}`,
    stepOf: (s, n) => `스텝 ${int(s)} / ${int(n)}`,
    phase: (p, done, total) =>
      p === 'backbone'
        ? `백본 순전파: 이미지 ${int(done)} / ${int(total)}`
        : p === 'evaluate'
          ? `검증: 이미지 ${int(done)} / ${int(total)}`
          : p === 'head'
            ? '헤드만 학습 (백본 특징 저장됨)'
            : '',
    seconds: (ms) => `${(ms / 1000).toFixed(1)}초`,
    heldOut: (a) => (a === null ? '검증 정확도 —' : `검증 정확도 ${pct(a)}`),
    goal: '목표 90%',
    model: '모델',
    pretrainedOn: (c, a) => `사전 학습 클래스: ${c.join(', ')} (검증 정확도 ${pct(a)}).`,
    newTask: (c) => `새 과제: ${c.join(', ')}.`,
    trainable: '학습 가능',
    frozen: '고정',
    part: '부분',
    inside: '구성',
    parameters: '파라미터',
    state: '상태',
    recipe: '학습 설정',
    recipeText: (r) =>
      `클래스당 학습 ${r.trainPerClass}장, 검증 ${r.testPerClass}장 · ${r.epochs} 에폭 · 배치 ${r.batch} · SGD lr ${r.lr} (${r.schedule}), momentum ${r.momentum} · 시드 ${r.seed}`,
    lossTitle: '손실',
    accuracyTitle: '정확도',
    trainLoss: '학습 손실 (스텝마다)',
    heldOutLoss: '검증 손실 (에폭마다)',
    trainAccuracy: '학습 정확도',
    heldOutAccuracy: '검증 정확도',
    step: '스텝',
    epoch: '에폭',
    samples: '검증 이미지',
    samplesNote: '헤드가 학습하지 않은 이미지와, 마지막 에폭 뒤의 예측.',
    truth: '정답',
    predicted: '예측',
    notYet: '아직 없음',
    sampleAria: (k, t, p) => `검증 이미지 ${k}: ${t}; ${p === null ? '아직 예측 없음' : p === t ? `예측 ${p}, 맞음` : `예측 ${p}, 틀림`}`,
    code: '실행되는 코드',
    cacheNote:
      '백본은 고정되어 있고 eval 모드이므로 같은 이미지의 출력은 변하지 않습니다. 각 이미지는 백본을 한 번만 통과하고(1 에폭과 첫 평가) 64개의 특징이 저장되며, 이후 에폭은 헤드만 실행합니다. 그래프 보기는 한 단계 전체를 기록합니다: 모든 모듈을 지나는 순전파, 그리고 헤드에서 멈추는 역전파.',
    shown: (s) => `스텝 ${s}이(가) 그래프에 있습니다.`,
  },
};
