// The canvas's styles, embedded in the <svg> itself so an exported SVG/PNG looks exactly like the page.
export const GRAPH_FONT = `ui-sans-serif, system-ui, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK KR", "Liberation Sans", Arial, sans-serif`;
export const GRAPH_MONO = `ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", "Liberation Mono", monospace`;

export const GRAPH_CSS = `
.g-root { font-family: ${GRAPH_FONT}; }
.node { cursor: pointer; outline: none; }
.node .box { stroke-width: 1.4; }
.node .label { font: 600 13px ${GRAPH_MONO}; fill: #111827; }
.node .detail { font: 600 10.5px ${GRAPH_FONT}; fill: #4b5563; letter-spacing: .02em; }
.node .badge { fill: #ffffff; stroke: #d1d5db; stroke-width: 1; }
.node .value { font: 12px ${GRAPH_MONO}; fill: #1f2937; }
.node .muted { font: 12px ${GRAPH_MONO}; fill: #9ca3af; }
.node .grad { font: 600 12px ${GRAPH_MONO}; fill: #b4400b; }
.node .sum { font: 700 10px ${GRAPH_FONT}; fill: #b4400b; }
.node .hook { font: 700 10px ${GRAPH_FONT}; fill: #7a2ea8; }
.node .rule { stroke: #e5e7eb; stroke-width: 1; }
.k-leaf .box { fill: #e8f0fe; stroke: #2f62c8; }
.k-op .box { fill: #ffffff; stroke: #8b95a5; }
.k-op.is-root .box, .k-root .box { fill: #e5f5ea; stroke: #23874b; }
.k-const .box { fill: #f3f4f6; stroke: #b6bcc6; }
.k-const .label { font: 600 12px ${GRAPH_MONO}; fill: #374151; }
.k-external .box { fill: #f9fafb; stroke: #9ca3af; stroke-dasharray: 5 3; }
.k-grad .box { fill: #eceff3; stroke: #6b7483; }
.k-accumulate .box { fill: #eceff3; stroke: #2f62c8; }
.k-grad .label, .k-accumulate .label { font: 600 12.5px ${GRAPH_FONT}; }
.k-inplace .box { fill: #fff8eb; stroke: #b7791f; }
.is-frozen .box, .no-grad .box { fill: #f1f2f4; stroke: #b3b9c3; }
.is-frozen .label, .no-grad .label, .is-frozen .value, .no-grad .value { fill: #6b7280; }
.unrecorded .box { stroke-dasharray: 6 4; fill: url(#hatch); stroke: #9a6b16; }
.unrecorded .label { fill: #7c5a12; }
.ph-pending { opacity: .3; }
.ph-pending .box { stroke-dasharray: 4 4; }
.ph-active .halo { fill: none; stroke: #f59f00; stroke-width: 6; opacity: .45; }
.ph-active .box { stroke: #d9480f; stroke-width: 2.6; }
.node.is-selected .sel { fill: none; stroke: #1d4ed8; stroke-width: 2; stroke-dasharray: 5 3; }
.node:focus-visible .sel { fill: none; stroke: #1d4ed8; stroke-width: 3; }
.edge path { fill: none; stroke: #9aa3b1; stroke-width: 1.4; }
.edge.e-attach path { stroke-dasharray: 2 3; }
.edge.e-unrecorded path { stroke-dasharray: 6 4; stroke: #b7791f; }
.edge.e-carried path { stroke: #f0a36b; stroke-width: 1.8; }
.edge.e-active path { stroke: #d9480f; stroke-width: 2.8; stroke-dasharray: 8 5; animation: flow .8s linear infinite; }
.edge.e-pending { opacity: .25; }
.edge .shape { font: 10.5px ${GRAPH_MONO}; fill: #6b7280; paint-order: stroke; stroke: #f8fafc; stroke-width: 4px; stroke-linejoin: round; }
.edge .gradpill { fill: #fff4e6; stroke: #d9480f; stroke-width: 1.2; }
.edge .gradtext { font: 600 11px ${GRAPH_MONO}; fill: #9a3412; }
.k-module .box { fill: #eef2ff; stroke: #4f5bd5; stroke-width: 1.6; }
.k-module .stack { fill: #f5f7ff; stroke: #a9b1ec; stroke-width: 1.2; }
.k-module .label { font: 700 13px ${GRAPH_MONO}; fill: #1e1b4b; }
.k-module .badge { fill: #ffffff; stroke: #c7cbf3; }
.k-module .detail { fill: #3f3d9e; }
.k-module .summary { font: 600 11px ${GRAPH_FONT}; fill: #4b5563; }
.k-module .counts { font: 11px ${GRAPH_FONT}; fill: #6b7280; }
.k-module .small { font-size: 11px; }
.k-module .expand-icon rect { fill: #ffffff; stroke: #8f98e6; stroke-width: 1.1; }
.k-module .expand-icon path { stroke: #3f48c4; stroke-width: 1.6; fill: none; }
.k-module .lock-icon path, .k-module .lock-icon rect { fill: none; stroke: #6b7280; stroke-width: 1.4; }
.k-module .pg-track { fill: #dfe3f6; }
.k-module .pg-done { fill: #d9480f; }
.k-module.is-frozen .box, .k-module.no-grad .box { fill: #f1f2f4; stroke: #a3aab5; }
.k-module.is-frozen .stack, .k-module.no-grad .stack { fill: #f7f8f9; stroke: #c9ced6; }
.k-module.is-frozen .label, .k-module.no-grad .label { fill: #4b5563; }
.k-module.is-frozen .detail, .k-module.no-grad .detail { fill: #6b7280; }
.k-module.is-frozen .badge, .k-module.no-grad .badge { stroke: #d1d5db; }
.k-module:hover .box { stroke-width: 2.2; }
.k-module.ph-active .box { stroke: #d9480f; stroke-width: 2.6; }
.is-dead { opacity: .62; }
.is-dead .box { stroke-dasharray: 5 4; }
.cluster .frame { fill: rgba(79, 91, 213, .035); stroke: #a9b1ec; stroke-width: 1.3; stroke-dasharray: 6 4; }
.cluster.is-frozen .frame { fill: rgba(107, 114, 128, .04); stroke: #c3c8d1; }
.cluster.holds-active .frame { stroke: #f08c5a; stroke-dasharray: none; }
.cluster-head { cursor: pointer; outline: none; }
.cluster-head .tab { fill: #ffffff; stroke: #a9b1ec; stroke-width: 1.1; }
.cluster.is-frozen .cluster-head .tab { stroke: #c3c8d1; }
.cluster-head:hover .tab { fill: #eef2ff; }
.cluster-head:focus-visible .tab { stroke: #1d4ed8; stroke-width: 2.4; }
.cluster-head .collapse-icon rect { fill: #eef2ff; stroke: #8f98e6; stroke-width: 1; }
.cluster-head .collapse-icon path { stroke: #3f48c4; stroke-width: 1.6; }
.cluster-title { font: 700 12px ${GRAPH_MONO}; fill: #312e81; }
.cluster.is-frozen .cluster-title { fill: #4b5563; }
.edge.e-cut path { stroke: #9aa3b1; stroke-width: 1.6; stroke-dasharray: 3 4; }
.edge.e-dead path { stroke: #cfd4dc; stroke-width: 1.2; stroke-dasharray: 2 4; }
.edge .cutpill { fill: #f3f4f6; stroke: #9aa3b1; stroke-width: 1; }
.edge .cuttext { font: 600 10.5px ${GRAPH_FONT}; fill: #4b5563; }
@keyframes flow { to { stroke-dashoffset: -26; } }
@media (prefers-reduced-motion: reduce) { .edge.e-active path { animation: none; } }
.big .edge.e-active path { animation: none; }
`;
