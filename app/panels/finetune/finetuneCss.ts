// The fine-tune panel's styles, scoped under .ft and rendered with the panel (the app's :root variables
// are used when present, with the same values as fallbacks). Sizes are readable on a projector.
export const FINETUNE_CSS = `
.ft { --ft-border: var(--border, #e1e5eb); --ft-strong: var(--border-strong, #cfd5de); --ft-text: var(--text, #111827);
  --ft-muted: var(--muted, #556070); --ft-faint: var(--faint, #7d8796); --ft-accent: var(--accent, #2f62c8);
  --ft-accent-strong: var(--accent-strong, #1d4ed8); --ft-ok: var(--ok, #23874b); --ft-err: var(--err, #c2261d);
  --ft-err-bg: var(--err-bg, #fff1f0); --ft-frozen: #b3b9c3; --ft-frozen-bg: #f1f2f4;
  --ft-mono: var(--mono, ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace);
  --ft-font: var(--font, ui-sans-serif, system-ui, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK KR", "Liberation Sans", Arial, sans-serif);
  font-family: var(--ft-font); color: var(--ft-text); font-size: 14px; display: flex; flex-direction: column; gap: 12px;
  padding: 16px 18px 20px; flex: 1; min-height: 0; overflow: auto; background: var(--bg, #f3f5f8); }
.ft .mono { font-family: var(--ft-mono); }
.ft .muted { color: var(--ft-faint); }
.ft h3 { margin: 0 0 8px; font-size: 15px; font-weight: 700; }
.ft-head { display: flex; align-items: baseline; gap: 14px; flex-wrap: wrap; }
.ft-head h2 { margin: 0; font-size: 20px; font-weight: 700; letter-spacing: -0.01em; }
.ft-sub { margin: 0; color: var(--ft-muted); font-size: 14px; }
.ft-card { background: #fff; border: 1px solid var(--ft-border); border-radius: 10px; padding: 12px 16px;
  box-shadow: 0 1px 2px rgba(16,24,40,.05), 0 1px 3px rgba(16,24,40,.06); }
.ft-note { margin: 0; color: var(--ft-muted); font-size: 12.5px; line-height: 1.45; }
.ft-k { color: var(--ft-faint); font-size: 11.5px; font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }

.ft-btn { display: inline-flex; align-items: center; justify-content: center; gap: 7px; height: 34px; padding: 0 14px; border-radius: 8px;
  border: 1px solid var(--ft-strong); background: #fff; color: var(--ft-text); font: 600 13.5px var(--ft-font); cursor: pointer; white-space: nowrap; }
.ft-btn:hover:not(:disabled) { background: #f4f6f9; border-color: #b9c1cd; }
.ft-btn:disabled { opacity: .45; cursor: default; }
.ft-btn.primary { background: var(--ft-accent); border-color: var(--ft-accent); color: #fff; }
.ft-btn.primary:hover:not(:disabled) { background: var(--ft-accent-strong); }
.ft-play { min-width: 160px; }
.ft-icon { width: 15px; height: 15px; fill: currentColor; }
.ft-icon.line { fill: none; stroke: currentColor; stroke-width: 1.6; }
.ft :focus-visible { outline: 3px solid rgba(47,98,200,.45); outline-offset: 2px; }

.ft-transport { display: flex; align-items: center; gap: 22px; flex-wrap: wrap; }
.ft-buttons { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.ft-progress-wrap { flex: 1; min-width: min(300px, 100%); display: flex; flex-direction: column; gap: 6px; }
.ft-progress { height: 10px; border-radius: 999px; background: #e8ecf2; overflow: hidden; }
.ft-progress-fill { height: 100%; background: linear-gradient(90deg, #2f62c8, #4f7fe0); border-radius: 999px; transition: width .2s linear; }
.ft-progress.s-done .ft-progress-fill { background: var(--ft-ok); }
.ft-progress-text { display: flex; align-items: center; gap: 12px; font-size: 13px; color: var(--ft-muted); min-height: 22px; }
.ft-chip { display: inline-flex; align-items: center; height: 22px; padding: 0 9px; border-radius: 999px; font-size: 12px; font-weight: 700; background: #eef1f5; color: #374151; white-space: nowrap; }
.ft-chip.s-running { background: #eaf1ff; color: #1d4ed8; }
.ft-chip.s-done { background: #e5f5ea; color: #1b6b3b; }
.ft-chip.s-failed { background: var(--ft-err-bg); color: var(--ft-err); }
.ft-count { color: var(--ft-text); white-space: nowrap; }
.ft-phase { overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
.ft-time { margin-left: auto; font-size: 12px; color: var(--ft-faint); white-space: nowrap; }
.ft-accuracy { font-size: 22px; font-weight: 700; font-variant-numeric: tabular-nums; color: var(--ft-text); min-width: 17rem; text-align: right; }
.ft-accuracy.is-goal { color: var(--ft-ok); }
.ft-alert { border: 1px solid #f3b4ae; background: var(--ft-err-bg); color: #8f1d15; border-radius: 10px; padding: 10px 14px; font-weight: 600; font-size: 13.5px; }

.ft-body { display: grid; grid-template-columns: minmax(0, 1.1fr) minmax(0, 1fr); gap: 12px; align-items: start; }
.ft-col { display: flex; flex-direction: column; gap: 12px; min-width: 0; }

.ft-task { margin: 0 0 10px; font-size: 13.5px; line-height: 1.45; color: var(--ft-muted); }
.ft-task strong { color: var(--ft-text); }
.ft-counts { display: grid; grid-template-columns: auto auto 1fr; align-items: center; gap: 6px 22px; margin-bottom: 10px; }
.ft-count-big { display: flex; flex-direction: column; }
.ft-count-n { font-size: 24px; font-weight: 700; line-height: 1.1; }
.ft-count-l { font-size: 12px; font-weight: 600; color: var(--ft-muted); }
.ft-count-big.trainable .ft-count-n { color: var(--ft-accent); }
.ft-count-big.frozen .ft-count-n { color: #6b7280; }
.ft-bar { display: flex; height: 14px; border-radius: 4px; overflow: hidden; border: 1px solid var(--ft-border); }
.ft-bar-frozen { background: repeating-linear-gradient(135deg, #e4e7eb 0 6px, #d7dbe1 6px 12px); }
.ft-bar-trainable { background: var(--ft-accent); }
.ft-table { width: 100%; border-collapse: collapse; font-size: 13px; }
.ft-table th, .ft-table td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--ft-border); }
.ft-table thead th { font-size: 11.5px; color: var(--ft-faint); font-weight: 600; text-transform: uppercase; letter-spacing: .04em; }
.ft-table .num { text-align: right; }
.ft-table tr.is-frozen th, .ft-table tr.is-frozen td { color: #6b7280; }
.ft-table tr.is-trainable { background: #f5f8ff; }
.ft-tag { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 11.5px; font-weight: 700; }
.ft-tag.frozen { background: var(--ft-frozen-bg); color: #6b7280; border: 1px solid var(--ft-frozen); }
.ft-tag.trainable { background: #eaf1ff; color: var(--ft-accent-strong); border: 1px solid #b9cdf3; }
.ft-recipe { margin: 10px 0 0; font-size: 12.5px; color: var(--ft-muted); line-height: 1.45; }

.ft-plots { display: flex; flex-direction: column; gap: 8px; }
.ft-plot { margin: 0; }
.ft-plot figcaption { display: flex; align-items: center; gap: 16px; flex-wrap: wrap; font-size: 12.5px; color: var(--ft-muted); }
.ft-plot figcaption strong { color: var(--ft-text); font-size: 14px; }
.ft-key { display: inline-flex; align-items: center; gap: 6px; }
.ft-svg { width: 100%; height: auto; display: block; }
.ft-svg .axis text { font-size: 11px; fill: #556070; }
.ft-svg .axis path, .ft-svg .axis line { stroke: #cfd5de; }
.ft-svg .grid-y line { stroke: #eef1f5; }
.ft-svg .axis-label { font-size: 11px; fill: #7d8796; }

.ft-samples { list-style: none; margin: 10px 0 0; padding: 0; display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 10px; }
.ft-sample { display: flex; flex-direction: column; gap: 2px; padding: 6px; border-radius: 8px; border: 1px solid var(--ft-border); font-size: 12px; }
.ft-sample.is-right { border-color: #a9d8b8; background: #f3fbf5; }
.ft-sample.is-wrong { border-color: #f3b4ae; background: var(--ft-err-bg); }
.ft-sample-img { width: 100%; aspect-ratio: 1; image-rendering: pixelated; border-radius: 4px; display: block; margin-bottom: 3px; }
.ft-sample-truth, .ft-sample-pred { line-height: 1.3; }
.ft-sample.is-wrong .ft-sample-pred { color: var(--ft-err); font-weight: 600; }
.ft-sample.is-right .ft-sample-pred { color: #1b6b3b; font-weight: 600; }
.ft-sample .ft-k { font-size: 10.5px; }

.ft-code pre { margin: 0 0 10px; padding: 10px 12px; background: #f7f8fa; border: 1px solid var(--ft-border); border-radius: 8px;
  font-size: 12.5px; line-height: 1.5; overflow-x: auto; }
@media (max-width: 1100px) { .ft-body { grid-template-columns: minmax(0, 1fr); } }
@media (max-width: 760px) { .ft-table { font-size: 12px; } .ft-table th, .ft-table td { padding: 4px 4px; } }
`;
