// The training panel's styles, scoped under .tp and rendered with the panel (the app's :root variables
// are used when present, with the same values as fallbacks so the panel also stands alone).
export const TRAINING_CSS = `
.tp { --tp-border: var(--border, #e1e5eb); --tp-strong: var(--border-strong, #cfd5de); --tp-text: var(--text, #111827);
  --tp-muted: var(--muted, #556070); --tp-faint: var(--faint, #7d8796); --tp-accent: var(--accent, #2f62c8);
  --tp-accent-strong: var(--accent-strong, #1d4ed8); --tp-err: var(--err, #c2261d); --tp-err-bg: var(--err-bg, #fff1f0);
  --tp-mono: var(--mono, ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace);
  --tp-font: var(--font, ui-sans-serif, system-ui, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK KR", "Liberation Sans", Arial, sans-serif);
  font-family: var(--tp-font); color: var(--tp-text); font-size: 14px; display: flex; flex-direction: column; gap: 12px;
  padding: 16px 18px 20px; flex: 1; min-height: 0; overflow: auto; background: var(--bg, #f3f5f8); }
.tp .mono { font-family: var(--tp-mono); }
.tp .muted { color: var(--tp-faint); }
.tp-head { display: flex; align-items: baseline; gap: 14px; flex-wrap: wrap; }
.tp-head h2 { margin: 0; font-size: 20px; font-weight: 700; letter-spacing: -0.01em; }
.tp-sub { margin: 0; color: var(--tp-muted); font-size: 14px; }
.tp-card { background: #fff; border: 1px solid var(--tp-border); border-radius: 10px; box-shadow: 0 1px 2px rgba(16,24,40,.05), 0 1px 3px rgba(16,24,40,.06); }

.tp-setup { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 14px 28px; padding: 12px 16px; }
.tp-setup-group { display: flex; align-items: flex-end; gap: 10px; flex-wrap: wrap; }
.tp-field { display: flex; flex-direction: column; gap: 4px; position: relative; }
.tp-field label { font-size: 12px; font-weight: 600; color: var(--tp-muted); letter-spacing: .01em; }
.tp-start .tp-field label { font-family: var(--tp-mono); font-size: 13px; color: var(--tp-text); }
.tp-field input { height: 34px; width: 100%; padding: 0 9px; border: 1px solid var(--tp-strong); border-radius: 7px; background: #fff; font-size: 13.5px; color: var(--tp-text); }
.tp-field input.mono { font-family: var(--tp-mono); font-size: 13px; }
.tp-field input:focus { outline: none; border-color: var(--tp-accent); box-shadow: 0 0 0 3px rgba(47,98,200,.18); }
.tp-field.has-error input { border-color: var(--tp-err); background: var(--tp-err-bg); }
.tp-err { color: var(--tp-err); font-size: 12px; line-height: 1.3; max-width: 14rem; }

.tp-btn { display: inline-flex; align-items: center; justify-content: center; gap: 7px; height: 34px; padding: 0 14px; border-radius: 8px;
  border: 1px solid var(--tp-strong); background: #fff; color: var(--tp-text); font: 600 13.5px var(--tp-font); cursor: pointer; white-space: nowrap; }
.tp-btn:hover:not(:disabled) { background: #f4f6f9; border-color: #b9c1cd; }
.tp-btn:disabled { opacity: .45; cursor: default; }
.tp-btn.primary { background: var(--tp-accent); border-color: var(--tp-accent); color: #fff; }
.tp-btn.primary:hover:not(:disabled) { background: var(--tp-accent-strong); }
.tp-play { min-width: 96px; }
.tp-icon { width: 15px; height: 15px; fill: currentColor; }
.tp :focus-visible { outline: 3px solid rgba(47,98,200,.45); outline-offset: 2px; }

.tp-transport { display: flex; align-items: center; gap: 24px; padding: 10px 16px; flex-wrap: wrap; }
.tp-buttons { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.tp-speed { display: inline-flex; align-items: center; gap: 8px; margin-left: 8px; font-size: 12px; font-weight: 600; color: var(--tp-muted); }
.tp-speed select { height: 34px; border: 1px solid var(--tp-strong); border-radius: 8px; padding: 0 8px; background: #fff; font: 500 13px var(--tp-font); color: var(--tp-text); }
.tp-progress-wrap { flex: 1; min-width: min(280px, 100%); display: flex; flex-direction: column; gap: 6px; }
.tp-progress { height: 10px; border-radius: 999px; background: #e8ecf2; overflow: hidden; }
.tp-progress-fill { height: 100%; background: linear-gradient(90deg, #2f62c8, #4f7fe0); border-radius: 999px; transition: width .12s linear; }
.tp-progress.s-done .tp-progress-fill { background: #23874b; }
.tp-progress.s-diverged .tp-progress-fill { background: var(--tp-err); }
.tp-progress-text { display: flex; align-items: center; gap: 12px; font-size: 13px; color: var(--tp-muted); }
.tp-chip { display: inline-flex; align-items: center; height: 22px; padding: 0 9px; border-radius: 999px; font-size: 12px; font-weight: 700; background: #eef1f5; color: #374151; }
.tp-chip.s-running { background: #eaf1ff; color: #1d4ed8; }
.tp-chip.s-done { background: #e5f5ea; color: #1b6b3b; }
.tp-chip.s-diverged { background: var(--tp-err-bg); color: var(--tp-err); }
.tp-count { color: var(--tp-text); font-size: 13px; }
.tp-time { margin-left: auto; font-size: 12px; color: var(--tp-faint); }

.tp-alert { border: 1px solid #f3b4ae; background: var(--tp-err-bg); color: #8f1d15; border-radius: 10px; padding: 10px 14px; font-weight: 600; font-size: 13.5px; display: flex; flex-direction: column; gap: 4px; }

.tp-body { display: grid; grid-template-columns: minmax(0, 1.08fr) minmax(0, 1fr); gap: 12px; align-items: start; }
.tp-left, .tp-right { display: flex; flex-direction: column; gap: 12px; min-width: 0; }

.tp-table-wrap { padding: 4px 4px 6px; overflow-x: auto; }
.tp-table { width: 100%; border-collapse: separate; border-spacing: 0; font-size: 13px; }
.tp-table th, .tp-table td { padding: 6px 10px; text-align: left; border-bottom: 1px solid #f0f2f5; }
.tp-table tbody tr:last-child th, .tp-table tbody tr:last-child td { border-bottom: 0; }
.tp-table thead th { vertical-align: bottom; border-bottom: 1px solid var(--tp-border); padding-top: 10px; }
.tp-table .col-head { border-top: 3px solid var(--col); }
.tp-table .col-head.selected { background: color-mix(in srgb, var(--col) 7%, white); }
.tp-table .col-title { display: block; font-size: 14px; font-weight: 700; color: var(--tp-text); }
.tp-table .col-note { display: block; font-size: 11.5px; font-weight: 500; color: var(--tp-faint); margin-top: 2px; }
.tp-table .diff-head { font-size: 12px; font-weight: 600; color: var(--tp-muted); }
.tp-table tbody th { font-weight: 600; color: #374151; white-space: nowrap; width: 1%; }
.tp-table td.num { font-family: var(--tp-mono); font-variant-numeric: tabular-nums; white-space: nowrap; color: var(--tp-text); }
.tp-table td.diff { color: var(--tp-muted); font-size: 12px; }
.tp-table td.diff .ulp { color: #1b6b3b; font-family: var(--tp-font); font-size: 11.5px; font-weight: 600; margin-left: 4px; }
.tp-table td.nonfinite { color: var(--tp-err); font-weight: 700; background: var(--tp-err-bg); }
.tp-table tr.sep th, .tp-table tr.sep td { border-top: 1px solid var(--tp-border); }
.tp-table tr.grad th, .tp-table tr.grad td.num { color: #6b7280; font-size: 12px; }

.tp-actions { display: flex; flex-direction: column; gap: 10px; padding: 12px 14px; }
.tp-actions > .tp-err { max-width: none; }
.tp-seg { display: inline-flex; align-self: flex-start; background: #eef1f5; border-radius: 9px; padding: 3px; gap: 2px; }
.tp-seg-item { position: relative; display: inline-flex; align-items: center; height: 30px; padding: 0 14px; border-radius: 7px; font-weight: 600; font-size: 13px; color: var(--tp-muted); cursor: pointer; }
.tp-seg-item input { position: absolute; opacity: 0; inset: 0; margin: 0; cursor: pointer; }
.tp-seg-item.on { background: #fff; color: var(--tp-text); box-shadow: 0 1px 2px rgba(16,24,40,.1); }
.tp-seg-item.on::before { content: ''; width: 8px; height: 8px; border-radius: 50%; background: var(--col); margin-right: 8px; }
.tp-seg-item:has(input:focus-visible) { outline: 3px solid rgba(47,98,200,.45); outline-offset: 1px; }
.tp-inspect { display: flex; align-items: flex-end; gap: 8px; flex-wrap: wrap; }
.tp-inspect .tp-field { width: 10.5rem; }

.tp-output { overflow: hidden; }
.tp-output-head { padding: 8px 14px; font-size: 12px; font-weight: 700; letter-spacing: .04em; text-transform: uppercase; color: #374151; border-bottom: 1px solid var(--tp-border); }
.tp-console { margin: 0; padding: 10px 14px; max-height: 150px; min-height: 64px; overflow: auto; font-size: 12.5px; line-height: 1.6; background: #fbfcfd; color: #1f2937; border-radius: 0 0 10px 10px; }
.tp-result { font-weight: 700; color: #0f3d8c; white-space: pre-wrap; word-break: break-word; }

.tp-plots { padding: 10px 12px 6px; display: flex; flex-direction: column; gap: 4px; }
.tp-plot { margin: 0; }
.tp-plot figcaption { display: flex; align-items: center; gap: 12px; flex-wrap: wrap; padding: 2px 4px 0; }
.tp-plot-title { font-size: 13px; font-weight: 700; color: #374151; }
.tp-legend { display: inline-flex; align-items: center; gap: 6px; font-size: 12px; color: var(--tp-muted); margin-left: auto; }
.tp-legend .tp-swatch { margin-left: 8px; }
.tp-plot svg:not(.tp-swatch) { display: block; width: 100%; height: auto; }
.tp-plot .axis text { font: 11px var(--tp-font); fill: #4b5563; }
.tp-plot .axis path, .tp-plot .axis line { stroke: #b6bdc8; }
.tp-plot .grid-y line { stroke: #eef1f5; }
.tp-plot .axis-label { font: 600 11px var(--tp-font); fill: #6b7280; }

.tp-inspected { padding: 12px 14px; font-size: 13px; }
.tp-inspected-head strong { font-size: 14px; }
.tp-note { margin: 6px 0 0; color: var(--tp-muted); font-size: 12.5px; line-height: 1.45; }
.tp-mini { width: 100%; border-collapse: collapse; margin-top: 8px; font-size: 12.5px; }
.tp-mini th { text-align: left; font-size: 11.5px; color: var(--tp-faint); font-weight: 600; padding: 4px 8px; border-bottom: 1px solid var(--tp-border); }
.tp-mini td { padding: 5px 8px; border-bottom: 1px solid #f0f2f5; }
.tp-mini tr.on td { background: #f3f7ff; font-weight: 600; }

/* Presentation mode (a projector at the back of a room): larger type; the app's high-contrast colours apply through the variables. */
.is-presentation .tp-head h2 { font-size: 25px; }
.is-presentation .tp-sub { font-size: 16px; }
.is-presentation .tp-table { font-size: 16px; }
.is-presentation .tp-table .col-title { font-size: 17px; }
.is-presentation .tp-table .col-note, .is-presentation .tp-table td.diff, .is-presentation .tp-table tr.grad th, .is-presentation .tp-table tr.grad td.num { font-size: 14px; }
.is-presentation .tp-console { font-size: 15.5px; max-height: 260px; }
.is-presentation .tp-btn, .is-presentation .tp-field input, .is-presentation .tp-speed select { font-size: 15.5px; height: 40px; }
.is-presentation .tp-field label, .is-presentation .tp-progress-text, .is-presentation .tp-count { font-size: 14.5px; }
.is-presentation .tp-plot-title { font-size: 16px; }
.is-presentation .tp-legend, .is-presentation .tp-note, .is-presentation .tp-mini { font-size: 14.5px; }
.is-presentation .tp-plot .axis text { font-size: 13px; }
.is-presentation .tp-progress { height: 14px; }
.is-presentation .tp-table td.diff .ulp, .is-presentation .tp-speed { font-size: 14px; }

@media (max-width: 1100px) { .tp-body { grid-template-columns: minmax(0, 1fr); } }
@media (prefers-reduced-motion: reduce) { .tp-progress-fill { transition: none; } }
`;

export const PAGE_TABS_CSS = `
.page-tabs { display: flex; align-items: flex-end; height: 38px; padding: 0 16px; background: #fff; border-bottom: 1px solid var(--border, #e1e5eb); flex: none; }
.page-tabs [role=tablist] { display: flex; gap: 4px; height: 100%; }
.page-tab { position: relative; height: 100%; padding: 0 14px; border: 0; background: none; font: 600 13.5px var(--font, system-ui, sans-serif); color: var(--muted, #556070); cursor: pointer; }
.page-tab:hover { color: var(--text, #111827); }
.page-tab.on { color: var(--accent-strong, #1d4ed8); }
.page-tab.on::after { content: ''; position: absolute; left: 10px; right: 10px; bottom: -1px; height: 3px; border-radius: 3px 3px 0 0; background: var(--accent, #2f62c8); }
.page-tab:focus-visible { outline: 3px solid rgba(47,98,200,.45); outline-offset: -3px; border-radius: 6px; }
`;
