import { LayerError, channels, defineLayer, sizeOf } from '../../layer.ts';
import { activation, bool, int } from '../../params.ts';

export default defineLayer({
  kind: 'Dense',
  category: 'Core',
  doc: 'Fully connected: every input feature to every unit (applied to the last axis).',
  params: { units: int({ default: 32 }), activation: activation(), useBias: bool({ default: true }) },
  inputs: { min: 1, max: 1 },
  keras: { className: 'Dense' },
  // Per position: a Dense after a feature map keeps its field.
  receptive: 'pass',
  inferShape: ([x], p) => {
    if (x.length < 2) throw new LayerError('Dense needs an input with features; connect a layer with a shape');
    return [...x.slice(0, -1), p.units];
  },
  weights: ([x], p) => [
    { name: 'kernel', shape: [channels(x), p.units], trainable: true },
    ...(p.useBias ? [{ name: 'bias', shape: [p.units], trainable: true }] : []),
  ],
  macs: ([x], _o, p) => sizeOf(x) * p.units,
  describe: (p) => `${p.units}${p.activation !== 'linear' ? ` · ${p.activation}` : ''}`,
});
