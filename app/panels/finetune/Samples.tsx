// A grid of held-out images (canvas, from the generator's pixels via toRgba) with their true label and
// the head's prediction after the last epoch.
import { useEffect, useRef } from 'react';
import { toRgba } from '../../../engine/data/shapes';
import type { FinetuneLabels } from '../../finetune/labels';

/** Image `index` of `images` ([n, 3, size, size] in [0, 1]), drawn once per data set. */
function SampleCanvas({ images, index, size }: { images: Float32Array; index: number; size: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const ctx = ref.current?.getContext('2d');
    if (!ctx) return;
    const px = 3 * size * size;
    const image = ctx.createImageData(size, size);
    image.data.set(toRgba(images.subarray(index * px, (index + 1) * px), size));
    ctx.putImageData(image, 0, 0);
  }, [images, index, size]);
  return <canvas ref={ref} width={size} height={size} className="ft-sample-img" aria-hidden="true" />;
}

export function Samples(props: {
  images: Float32Array;
  labels: Int32Array;
  size: number;
  classes: readonly string[];
  predictions: Int32Array | null;
  L: FinetuneLabels;
}) {
  const { images, labels, size, classes, predictions, L } = props;
  return (
    <ul className="ft-samples" aria-label={L.samples}>
      {Array.from(labels, (label, k) => {
        const truth = classes[label];
        const p = predictions ? predictions[k] : null;
        const pred = p === null ? null : classes[p];
        const right = p !== null && p === label;
        return (
          <li key={k} className={`ft-sample ${p === null ? '' : right ? 'is-right' : 'is-wrong'}`} aria-label={L.sampleAria(k + 1, truth, pred)}>
            <SampleCanvas images={images} index={k} size={size} />
            <span className="ft-sample-truth">
              <span className="ft-k">{L.truth}</span> {truth}
            </span>
            <span className="ft-sample-pred">
              <span className="ft-k">{L.predicted}</span> {pred ?? L.notYet}
              {p === null ? null : <span aria-hidden="true">{right ? '\u00a0✓' : '\u00a0✗'}</span>}
            </span>
          </li>
        );
      })}
    </ul>
  );
}
