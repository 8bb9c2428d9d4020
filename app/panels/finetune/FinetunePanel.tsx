// The fine-tune panel (issue 5): the pretrained small ResNet, its backbone frozen and its head replaced,
// trained in a worker on new classes; progress, curves, held-out samples, parameter counts, and Show graph,
// which hands one recorded training step of the whole model to the canvas.
import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { useApp } from '../../store/useApp';
import { showPage } from '../../training/page';
import { finetuneStore, initFinetune, onRecorded, playedMs, reset, showGraph, togglePlay, type FinetuneState } from '../../finetune/finetuneStore';
import { showRecordedInCanvas } from '../../finetune/appLink';
import { stepProgram } from '../../finetune/program';
import { LABELS, type FinetuneLabels, type Lang } from '../../finetune/labels';
import { AccuracyPlot, HELD_OUT_COLOR, LossPlot, TRAIN_ACC_COLOR, TRAIN_COLOR } from './Curves';
import { Samples } from './Samples';
import { FINETUNE_CSS } from './finetuneCss';
import { useMessageT } from '../../i18n';

const useFt = <T,>(selector: (s: FinetuneState) => T): T => useStore(finetuneStore, selector);
const int = (n: number) => n.toLocaleString('en-US');

export interface FinetunePanelProps {
  /** Called after Show graph put the recorded step into the canvas (switch to the graph). */
  onShowGraph?: () => void;
  lang?: Lang;
}

export function FinetunePanel(props: FinetunePanelProps) {
  const appLang = useApp((s) => s.lang);
  const L = LABELS[props.lang ?? appLang ?? 'en'] ?? LABELS.en;
  const onShowGraph = props.onShowGraph;
  useEffect(() => {
    initFinetune();
    onRecorded((r) => {
      showRecordedInCanvas(r);
      (onShowGraph ?? (() => showPage('graph')))();
    });
    return () => onRecorded(null);
  }, [onShowGraph]);
  useFinetuneKeys();
  return (
    <section className="ft" aria-labelledby="ft-title">
      <style>{FINETUNE_CSS}</style>
      <header className="ft-head">
        <h2 id="ft-title">{L.title}</h2>
        <p className="ft-sub">{L.subtitle}</p>
      </header>
      <Transport L={L} />
      <Failure />
      <div className="ft-body">
        <div className="ft-col">
          <ModelCard L={L} />
          <div className="ft-card ft-plots">
            <figure className="ft-plot">
              <figcaption>
                <strong>{L.lossTitle}</strong>
                <Key color={TRAIN_COLOR} text={L.trainLoss} />
                <Key color={HELD_OUT_COLOR} text={L.heldOutLoss} />
              </figcaption>
              <Loss L={L} />
            </figure>
            <figure className="ft-plot">
              <figcaption>
                <strong>{L.accuracyTitle}</strong>
                <Key color={TRAIN_ACC_COLOR} text={L.trainAccuracy} dashed />
                <Key color={HELD_OUT_COLOR} text={L.heldOutAccuracy} />
              </figcaption>
              <Accuracy L={L} />
            </figure>
          </div>
        </div>
        <div className="ft-col">
          <SamplesCard L={L} />
          <CodeCard L={L} />
        </div>
      </div>
    </section>
  );
}

function isTyping(t: EventTarget | null): boolean {
  return t instanceof HTMLElement && (t.isContentEditable || t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement);
}

/**
 * While the panel is shown, space starts or pauses fine-tuning. The graph's stepper keys (listened to on
 * window) would act on the hidden graph: this capture listener runs first and marks them handled.
 */
function useFinetuneKeys(): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      if ((e.key === ' ' || e.key === 'Enter') && e.target instanceof HTMLButtonElement) return;
      if (e.key === ' ') togglePlay();
      else if (!['ArrowLeft', 'ArrowRight', 'Home', 'End', 'b', 'B'].includes(e.key)) return;
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, []);
}

function Key({ color, text, dashed }: { color: string; text: string; dashed?: boolean }) {
  return (
    <span className="ft-key">
      <svg width="22" height="8" aria-hidden="true">
        <line x1="1" y1="4" x2="21" y2="4" stroke={color} strokeWidth="2.4" strokeDasharray={dashed ? '4 3' : undefined} />
      </svg>
      {text}
    </span>
  );
}

/** Ticks while playing so the elapsed time moves between progress messages. */
function useNow(active: boolean): number {
  const [now, setNow] = useState(() => performance.now());
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(id);
  }, [active]);
  return active ? now : performance.now();
}

function Transport({ L }: { L: FinetuneLabels }) {
  const status = useFt((s) => s.status);
  const ready = useFt((s) => s.setup !== null);
  const step = useFt((s) => s.step);
  const epoch = useFt((s) => s.epoch);
  const fraction = useFt((s) => s.fraction);
  const phase = useFt((s) => s.phase);
  const featuresDone = useFt((s) => s.featuresDone);
  const featuresTotal = useFt((s) => s.featuresTotal);
  const totalSteps = useFt((s) => s.setup?.totalSteps ?? 0);
  const epochs = useFt((s) => s.recipe.epochs);
  const recording = useFt((s) => s.recording);
  const shownStep = useFt((s) => s.shownStep);
  const accuracy = useFt((s) => (s.epochs.length ? s.epochs[s.epochs.length - 1].heldOutAccuracy : null));
  const running = status === 'running';
  const now = useNow(running);
  const elapsed = useFt((s) => playedMs(s, now));
  const started = step > 0 || featuresDone > 0;
  const playLabel = running ? L.pause : started && status !== 'done' ? L.resume : L.start;
  const pct = Math.round(fraction * 1000) / 10;
  const where = `${L.epochOf(Math.max(1, epoch), epochs)} · ${L.stepOf(step, totalSteps)}`;
  return (
    <div className="ft-card ft-transport">
      <div className="ft-buttons">
        <button type="button" className="ft-btn primary ft-play" onClick={togglePlay} disabled={!ready || status === 'loading'}>
          <svg viewBox="0 0 20 20" aria-hidden="true" className="ft-icon">
            {running ? <path d="M6 4h3v12H6zM11 4h3v12h-3z" /> : <path d="M6 4l10 6-10 6z" />}
          </svg>
          <span>{playLabel}</span>
        </button>
        <button type="button" className="ft-btn" onClick={reset} disabled={status === 'loading' && !ready}>
          {L.reset}
        </button>
        <button type="button" className="ft-btn" onClick={showGraph} disabled={!ready || recording} title={L.showGraphHint} aria-describedby="ft-graph-note">
          <svg viewBox="0 0 20 20" aria-hidden="true" className="ft-icon line">
            <circle cx="4" cy="10" r="2.2" />
            <circle cx="16" cy="4.5" r="2.2" />
            <circle cx="16" cy="15.5" r="2.2" />
            <path d="M6 9l8-3.6M6 11l8 3.6" />
          </svg>
          {recording ? L.recording : L.showGraph}
        </button>
      </div>
      <div className="ft-progress-wrap">
        <div
          className={`ft-progress s-${status}`}
          role="progressbar"
          aria-label={L.progress}
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={pct}
          aria-valuetext={`${pct}% · ${where} · ${L.status[status]}`}
        >
          <div className="ft-progress-fill" style={{ width: `${pct}%` }} />
        </div>
        <div className="ft-progress-text">
          <span className={`ft-chip s-${status}`}>{L.status[status]}</span>
          <span className="ft-count mono">{where}</span>
          <span className="ft-phase">{running ? L.phase(phase, featuresDone, featuresTotal) : ''}</span>
          <span className="ft-time mono">{started || elapsed > 0 ? L.seconds(elapsed) : ''}</span>
        </div>
        <span id="ft-graph-note" className="ft-note">
          {shownStep !== null ? L.shown(shownStep) : ''}
        </span>
      </div>
      <div className={`ft-accuracy ${accuracy !== null && accuracy >= 0.9 ? 'is-goal' : ''}`} role="status" aria-live="polite">
        {L.heldOut(accuracy)}
      </div>
    </div>
  );
}

function Failure() {
  const failure = useFt((s) => s.failure);
  const tm = useMessageT();
  if (!failure) return null;
  return (
    <div className="ft-alert" role="alert">
      {tm(failure)}
    </div>
  );
}

function ModelCard({ L }: { L: FinetuneLabels }) {
  const setup = useFt((s) => s.setup);
  const counts = useFt((s) => s.counts);
  const recipe = useFt((s) => s.recipe);
  const total = counts ? counts.trainable + counts.frozen : 0;
  // The head is a sliver of the model: give it at least a visible width on the bar.
  const trainableWidth = total ? Math.max(1.5, (100 * counts!.trainable) / total) : 0;
  return (
    <div className="ft-card ft-model" aria-labelledby="ft-model-title">
      <h3 id="ft-model-title">{L.model}</h3>
      {setup ? (
        <p className="ft-task">
          {L.pretrainedOn(setup.pretrainedClasses, setup.pretrainedAccuracy)} <strong>{L.newTask(recipe.classes)}</strong>
        </p>
      ) : (
        <p className="ft-task muted">{L.status.loading}…</p>
      )}
      {counts ? (
        <>
          <div className="ft-counts">
            <div className="ft-count-big trainable">
              <span className="ft-count-n mono" data-testid="trainable-count">{int(counts.trainable)}</span>
              <span className="ft-count-l">{L.trainable}</span>
            </div>
            <div className="ft-count-big frozen">
              <span className="ft-count-n mono" data-testid="frozen-count">{int(counts.frozen)}</span>
              <span className="ft-count-l">{L.frozen}</span>
            </div>
            <div className="ft-bar" aria-hidden="true">
              <div className="ft-bar-frozen" style={{ width: `${100 - trainableWidth}%` }} />
              <div className="ft-bar-trainable" style={{ width: `${trainableWidth}%` }} />
            </div>
          </div>
          <table className="ft-table">
            <thead>
              <tr>
                <th scope="col">{L.part}</th>
                <th scope="col">{L.inside}</th>
                <th scope="col" className="num">
                  {L.parameters}
                </th>
                <th scope="col">{L.state}</th>
              </tr>
            </thead>
            <tbody>
              {counts.modules.map((m) => {
                const trains = m.trainable > 0;
                return (
                  <tr key={m.name} className={trains ? 'is-trainable' : 'is-frozen'}>
                    <th scope="row" className="mono">
                      {m.name}
                    </th>
                    <td>{m.detail}</td>
                    <td className="num mono">{int(m.trainable + m.frozen)}</td>
                    <td>
                      <span className={`ft-tag ${trains ? 'trainable' : 'frozen'}`}>{trains ? L.trainable : L.frozen}</span>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </>
      ) : null}
      <p className="ft-recipe">
        <span className="ft-k">{L.recipe}</span> {L.recipeText(recipe)}
      </p>
    </div>
  );
}

function Loss({ L }: { L: FinetuneLabels }) {
  const losses = useFt((s) => s.losses);
  const count = useFt((s) => s.lossCount);
  const version = useFt((s) => s.lossVersion);
  const epochs = useFt((s) => s.epochs);
  const totalSteps = useFt((s) => s.setup?.totalSteps ?? 0);
  const stepsPerEpoch = useFt((s) => s.setup?.stepsPerEpoch ?? 1);
  return <LossPlot losses={losses} count={count} version={version} totalSteps={totalSteps} stepsPerEpoch={stepsPerEpoch} epochs={epochs} xLabel={L.step} label={L.lossTitle} />;
}

function Accuracy({ L }: { L: FinetuneLabels }) {
  const epochs = useFt((s) => s.epochs);
  const total = useFt((s) => s.recipe.epochs);
  return <AccuracyPlot epochs={epochs} totalEpochs={total} xLabel={L.epoch} goalLabel={L.goal} label={L.accuracyTitle} />;
}

function SamplesCard({ L }: { L: FinetuneLabels }) {
  const setup = useFt((s) => s.setup);
  const predictions = useFt((s) => s.samplePredictions);
  const classes = useFt((s) => s.recipe.classes);
  return (
    <div className="ft-card ft-samples-card">
      <h3>{L.samples}</h3>
      <p className="ft-note">{L.samplesNote}</p>
      {setup ? <Samples images={setup.sampleImages} labels={setup.sampleLabels} size={setup.sampleSize} classes={classes} predictions={predictions} L={L} /> : null}
    </div>
  );
}

function CodeCard({ L }: { L: FinetuneLabels }) {
  const recipe = useFt((s) => s.recipe);
  const totalSteps = useFt((s) => s.setup?.totalSteps ?? 0);
  const features = useFt((s) => s.setup?.features ?? 64);
  // The program without its "recorded step" header: what every step runs.
  const code = stepProgram(recipe, { step: 1, totalSteps, lr: recipe.lr, batch: recipe.batch, features })
    .split('\n')
    .filter((l) => !l.startsWith('# ') && !l.startsWith('optimizer.param_groups'))
    .join('\n')
    .trim();
  return (
    <div className="ft-card ft-code">
      <h3>{L.code}</h3>
      <pre className="mono">{code}</pre>
      <p className="ft-note">{L.cacheNote}</p>
    </div>
  );
}
