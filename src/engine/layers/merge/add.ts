import { elementwise } from './merge-utils.ts';
export default elementwise('Add', 'Sums its inputs element-wise: the skip connection of ResNet.');
