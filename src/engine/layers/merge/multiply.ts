import { elementwise } from './merge-utils.ts';
export default elementwise('Multiply', 'Multiplies its inputs element-wise (gating, attention masks).');
