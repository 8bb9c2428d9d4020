// "Export SVG" / "Export PNG": the whole current graph (not just the visible part) with its legend.
import { LEGEND_HEIGHT } from './Legend';

const PAD = 24;

export function graphSvgString(svgEl: SVGSVGElement, legendEl: SVGSVGElement | null, title: string): string {
  const w = Number(svgEl.dataset.width ?? 0);
  const h = Number(svgEl.dataset.height ?? 0);
  const legendW = legendEl ? Number(legendEl.getAttribute('width') ?? 0) : 0;
  const width = Math.ceil(Math.max(w, legendW) + 2 * PAD);
  const height = Math.ceil(h + 2 * PAD + 28 + (legendEl ? LEGEND_HEIGHT + 16 : 0));
  const clone = svgEl.cloneNode(true) as SVGSVGElement;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(width));
  clone.setAttribute('height', String(height));
  clone.setAttribute('viewBox', `0 0 ${width} ${height}`);
  clone.removeAttribute('class');
  clone.removeAttribute('style');
  const viewport = clone.querySelector('g.viewport');
  viewport?.setAttribute('transform', `translate(${PAD + (Math.max(w, legendW) - w) / 2},${PAD + 28})`);
  // Interactive attributes mean nothing in a file.
  clone.querySelectorAll('[tabindex]').forEach((el) => el.removeAttribute('tabindex'));
  const ns = 'http://www.w3.org/2000/svg';
  const bg = document.createElementNS(ns, 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', '#ffffff');
  clone.insertBefore(bg, clone.firstChild);
  const heading = document.createElementNS(ns, 'text');
  heading.setAttribute('x', String(PAD));
  heading.setAttribute('y', String(PAD + 6));
  heading.setAttribute('font-size', '14');
  heading.setAttribute('font-weight', '600');
  heading.setAttribute('fill', '#111827');
  heading.setAttribute('font-family', 'ui-sans-serif, system-ui, "Noto Sans", "Liberation Sans", Arial, sans-serif');
  heading.textContent = title;
  clone.appendChild(heading);
  if (legendEl) {
    const g = document.createElementNS(ns, 'g');
    g.setAttribute('transform', `translate(${PAD},${PAD + 28 + h + 16})`);
    for (const child of Array.from(legendEl.childNodes)) g.appendChild(child.cloneNode(true));
    clone.appendChild(g);
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(clone)}`;
}

export function download(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function svgToPng(svg: string, scale = 2): Promise<Blob> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.ceil(img.width * scale);
      canvas.height = Math.ceil(img.height * scale);
      const ctx = canvas.getContext('2d');
      if (!ctx) return reject(new Error('no canvas'));
      ctx.scale(scale, scale);
      ctx.drawImage(img, 0, 0);
      URL.revokeObjectURL(url);
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('PNG encoding failed'))), 'image/png');
    };
    img.onerror = () => {
      URL.revokeObjectURL(url);
      reject(new Error('could not draw the SVG'));
    };
    img.src = url;
  });
}
