// The stepper: transport buttons, speed, the scrubber and the role=status line.
import { useEffect, useMemo } from 'react';
import { useApp } from '../store/useApp';
import { setPosition, setSpeed, stepBack, stepForward, toEnd, togglePlay, toStart, pause } from '../store/appStore';
import { frameAt, statusText } from '../store/frame';
import { stepCaption } from './stepText';
import { useT } from '../i18n';

const SPEEDS = [
  { label: '0.5×', value: 0.75 },
  { label: '1×', value: 1.5 },
  { label: '2×', value: 3 },
  { label: '4×', value: 6 },
];

function usePlayer() {
  const playing = useApp((s) => s.playing);
  const speed = useApp((s) => s.speed);
  const position = useApp((s) => s.position);
  useEffect(() => {
    if (!playing) return;
    const t = setTimeout(() => {
      if (!stepForward()) pause();
    }, 1000 / speed);
    return () => clearTimeout(t);
  }, [playing, speed, position]);
}

const Icon = ({ d }: { d: string }) => (
  <svg viewBox="0 0 20 20" aria-hidden="true">
    <path d={d} />
  </svg>
);

export function Timeline() {
  usePlayer();
  const run = useApp((s) => s.run);
  const segment = useApp((s) => s.segment);
  const position = useApp((s) => s.position);
  const playing = useApp((s) => s.playing);
  const speed = useApp((s) => s.speed);
  const status = useApp((s) => s.status);
  const frame = useMemo(() => frameAt(run, segment, position), [run, segment, position]);
  const t = useT();
  const steps = frame.segment.steps;
  const caption = stepCaption(run, frame, t);
  const where = statusText(frame, t);
  const atStart = frame.position === 0;
  const atEnd = frame.position >= frame.total;
  const firstBackward = steps.findIndex((s) => s.kind === 'backward');
  return (
    <div className="timeline">
      <div className="transport" role="group" aria-label="Stepper">
        <button type="button" className="icon-btn" aria-label="To start" title={t('To start (Home)')} onClick={toStart} disabled={atStart}>
          <Icon d="M5 4v12M16 4l-8 6 8 6z" />
        </button>
        <button type="button" className="icon-btn" aria-label="Step back" title={t('Step back (←)')} onClick={stepBack} disabled={atStart}>
          <Icon d="M13 4l-7 6 7 6z" />
        </button>
        <button type="button" className="icon-btn play" aria-label={playing ? 'Pause' : 'Play'} title={t(playing ? 'Pause (space)' : 'Play (space)')} onClick={togglePlay} disabled={frame.total === 0}>
          {playing ? <Icon d="M6 4h3v12H6zM11 4h3v12h-3z" /> : <Icon d="M6 4l10 6-10 6z" />}
        </button>
        <button type="button" className="icon-btn" aria-label="Step forward" title={t('Step forward (→)')} onClick={() => stepForward()} disabled={atEnd}>
          <Icon d="M7 4l7 6-7 6z" />
        </button>
        <button type="button" className="icon-btn" aria-label="To end" title={t('To end (End)')} onClick={toEnd} disabled={atEnd}>
          <Icon d="M15 4v12M4 4l8 6-8 6z" />
        </button>
        <label className="speed">
          <span className="visually-hidden">Speed</span>
          <select aria-label="Speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
            {SPEEDS.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <div className="scrub">
        <div className="scrub-top">
          <div role="status" className={`status phase-${frame.phase}`} aria-live="polite">
            {status === 'running' ? t('Running…') : where}
          </div>
          <div className="caption" title={caption}>
            {caption}
          </div>
        </div>
        <div className="track">
          <div className="ticks" aria-hidden="true">
            {steps.map((s, i) => (
              <span key={i} className={`tick ${s.kind === 'backward' ? 'bw' : s.kind === 'inplace' ? 'up' : 'fw'} ${i < frame.position ? 'done' : ''}`} />
            ))}
          </div>
          <input
            type="range"
            aria-label="Step"
            aria-valuetext={where}
            min={0}
            max={frame.total}
            step={1}
            value={frame.position}
            onChange={(e) => setPosition(Number(e.target.value))}
            disabled={frame.total === 0}
          />
        </div>
        <div className="track-labels" aria-hidden="true">
          <span>{t('start')}</span>
          {/* Clamped so that a short backward phase does not put its label on top of END. */}
          {firstBackward > 0 ? <span style={{ left: `${Math.min(78, (firstBackward / Math.max(1, frame.total)) * 100)}%` }}>{t('backward ▸')}</span> : null}
          <span>{t('end')}</span>
        </div>
      </div>
    </div>
  );
}
