import { LayerError, defineLayer, dimsText } from '../../layer.ts';
import { list } from '../../params.ts';
import type { Shape } from '../../types.ts';

/** The learned slopes' shape: one per input value, 1 along each shared axis. */
function alphaShape(x: Shape, sharedAxes: readonly number[]): number[] {
  for (const a of sharedAxes) {
    if (a < 1 || a >= x.length) {
      throw new LayerError(`sharedAxes ${a} is outside the ${x.length - 1}-D input (${dimsText(x)}); use axes 1 to ${x.length - 1}`, 'sharedAxes');
    }
  }
  return x.slice(1).map((d, i) => {
    if (sharedAxes.includes(i + 1)) return 1;
    if (d === null) throw new LayerError(`axis ${i + 1} has an unknown size, so PReLU cannot hold a slope per position; add it to sharedAxes`, 'sharedAxes');
    return d;
  });
}

/** Keras `PReLU`: a leaky rectifier whose negative slopes are learned, per value or shared along axes. */
export default defineLayer({
  kind: 'PReLU',
  category: 'Core',
  doc: 'Leaky rectifier with learned slopes alpha, one per input value; sharedAxes share one slope along those axes (e.g. [1, 2]: one per channel).',
  params: { sharedAxes: list({ default: [], minLength: 0, maxLength: 6, doc: 'axes (1 = first after the batch) sharing one slope' }) },
  inputs: { min: 1, max: 1 },
  keras: {
    className: 'PReLU',
    // Keras writes no shared axes as None, one as a bare number.
    encode: (p) => ({ shared_axes: p.sharedAxes.length ? [...p.sharedAxes] : null }),
    decode: (c) => ({ sharedAxes: Array.isArray(c.shared_axes) ? (c.shared_axes as number[]).slice() : typeof c.shared_axes === 'number' ? [c.shared_axes] : [] }),
  },
  receptive: 'pass',
  inferShape: ([x], p) => {
    alphaShape(x, p.sharedAxes);
    return x; // shapes are immutable values: same shape, same array
  },
  weights: ([x], p) => [{ name: 'alpha', shape: alphaShape(x, p.sharedAxes), trainable: true }],
  describe: (p) => (p.sharedAxes.length ? `shared ${p.sharedAxes.join(', ')}` : ''),
});
