import { beforeEach, describe, expect, it } from 'vitest';
import { appStore, eventsArrived, resetStore, runFinished, runStarted, setRestore, stepBack, stepForward, toEnd, toggleView, toStart, togglePlay } from './appStore';
import { TUTORIAL_PROGRAM, tutorialEvents } from './fixtures/events';
import { frameAt, statusText } from './frame';

const status = () => {
  const s = appStore.getState();
  return statusText(frameAt(s.run, s.segment, s.position));
};

function load(runId = 1) {
  runStarted(runId, TUTORIAL_PROGRAM);
  const ev = tutorialEvents();
  eventsArrived(runId, ev.slice(0, 10));
  eventsArrived(runId, ev.slice(10));
  runFinished(runId, { ok: true, elapsedMs: 1 });
}

describe('the store, without React', () => {
  beforeEach(resetStore);

  it('opens a finished run after its forward pass, then steps through the backward pass', () => {
    load();
    expect(status()).toBe('Forward step 4 of 4');
    stepForward();
    expect(status()).toBe('Backward step 1 of 6');
    toEnd();
    expect(status()).toBe('Backward step 6 of 6');
    expect(stepForward()).toBe(false);
    stepBack();
    expect(status()).toBe('Backward step 5 of 6');
    toStart();
    expect(status()).toBe('Forward step 0 of 4');
  });

  it('drops batches of a run that is no longer current', () => {
    load(1);
    runStarted(2, TUTORIAL_PROGRAM);
    eventsArrived(1, tutorialEvents());
    expect(appStore.getState().run.eventCount).toBe(0);
  });

  it('restores the step from a link when the run ends, and plays from the start at the end', () => {
    setRestore({ segment: 0, position: 7 });
    load();
    expect(status()).toBe('Backward step 3 of 6');
    toEnd();
    togglePlay();
    expect(appStore.getState()).toMatchObject({ playing: true, position: 0 });
    toggleView();
    expect(appStore.getState().view).toBe('backward');
  });
});
