// Which page the app shows: the graph workspace or the training panel. A tiny store of its own, so the
// shell needs one line to switch pages and the training panel can send the user to the graph or editor.
import { createStore } from 'zustand/vanilla';

export type Page = 'graph' | 'training' | 'finetune';

export const pageStore = createStore<{ page: Page }>(() => ({ page: 'graph' }));

export function showPage(page: Page): void {
  pageStore.setState({ page });
}
