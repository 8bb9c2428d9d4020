// The React side of the store: narrow selectors over the vanilla store.
import { startTransition, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { appStore, type AppState } from './appStore';

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}

/**
 * `value`, shown one frame late: it changes to a new value in the first task after the next frame is
 * painted, in a transition (a newer value interrupts it). For a panel that follows the stepper beside the
 * graph: the graph's part of a step is painted first, in its own frame, and the panel's in the next.
 */
export function useAfterPaint<T>(value: T): T {
  const [shown, setShown] = useState(value);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const frame = requestAnimationFrame(() => {
      timer = setTimeout(() => startTransition(() => setShown(() => value)), 0);
    });
    return () => {
      cancelAnimationFrame(frame);
      clearTimeout(timer);
    };
  }, [value]);
  return shown;
}
