// Keeps the URL hash in step with the store (program, view, iteration, step), and restores from it.
import { appStore, setProgram, setRestore, setView } from './store/appStore';
import { decodeHash, encodeHash } from './store/url';

export function currentUrl(): string {
  const s = appStore.getState();
  const hash = encodeHash({ view: s.view, segment: s.segment, position: s.position, presentation: s.presentation || undefined, program: s.program });
  return `${location.origin}${location.pathname}${location.search}${hash}`;
}

/** Reads the hash into the store; returns true when it held a program. */
export function restoreFromUrl(): boolean {
  const u = decodeHash(location.hash);
  if (u.program !== undefined) setProgram(u.program);
  if (u.view) setView(u.view);
  if (u.presentation) appStore.setState({ presentation: true });
  if (u.segment !== undefined || u.position !== undefined) setRestore({ segment: u.segment ?? 0, position: u.position ?? 0 });
  return u.program !== undefined;
}

export function startUrlSync(): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = '';
  const write = () => {
    timer = null;
    const s = appStore.getState();
    if (s.status === 'running') return;
    const url = currentUrl();
    if (url !== last) {
      last = url;
      history.replaceState(null, '', url);
    }
  };
  return appStore.subscribe((s, prev) => {
    if (s.program === prev.program && s.view === prev.view && s.segment === prev.segment && s.position === prev.position && s.presentation === prev.presentation && s.status === prev.status) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(write, 150);
  });
}
