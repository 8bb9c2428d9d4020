// The React side of the store: narrow selectors over the vanilla store.
import { useStore } from 'zustand';
import { appStore, type AppState } from './appStore';

export function useApp<T>(selector: (s: AppState) => T): T {
  return useStore(appStore, selector);
}
