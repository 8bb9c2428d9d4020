// The page tabs under the top bar: Graph (editor, canvas, inspector) and Training (the cubic fit).
import { useStore } from 'zustand';
import { useApp } from '../../store/useApp';
import { pageStore, showPage, type Page } from '../../training/page';
import { PAGE_TABS_CSS } from './trainingCss';

export function usePage(): Page {
  return useStore(pageStore, (s) => s.page);
}

const NAMES: Record<'en' | 'ko', Record<Page, string>> = {
  en: { graph: 'Graph', training: 'Training', finetune: 'Fine-tune' },
  ko: { graph: '그래프', training: '학습', finetune: '파인튜닝' },
};

export function PageTabs() {
  const page = usePage();
  const lang = useApp((s) => s.lang) ?? 'en';
  const names = NAMES[lang] ?? NAMES.en;
  const tab = (p: Page) => (
    <button
      type="button"
      role="tab"
      id={`page-tab-${p}`}
      aria-selected={page === p}
      className={`page-tab ${page === p ? 'on' : ''}`}
      onClick={() => showPage(p)}
    >
      {names[p]}
    </button>
  );
  return (
    <nav className="page-tabs" aria-label={lang === 'ko' ? '페이지' : 'Pages'}>
      <style>{PAGE_TABS_CSS}</style>
      <div role="tablist" aria-label={lang === 'ko' ? '페이지' : 'Pages'}>
        {tab('graph')}
        {tab('training')}
        {tab('finetune')}
      </div>
    </nav>
  );
}
