import { elementwise } from './merge-utils.ts';
export default elementwise('Subtract', 'Subtracts in1 from in0 element-wise (exactly two inputs): differences of two branches, Siamese distances.', { min: 2, max: 2 });
