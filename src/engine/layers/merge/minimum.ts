import { elementwise } from './merge-utils.ts';
export default elementwise('Minimum', 'Takes the element-wise minimum of its inputs.');
