import { elementwise } from './merge-utils.ts';
export default elementwise('Multiply', 'Multiplies its inputs element-wise, broadcasting 1s: gating, attention masks, squeeze-and-excite ((H, W, C) ⊙ (1, 1, C)).');
