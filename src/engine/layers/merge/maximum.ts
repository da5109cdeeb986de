import { elementwise } from './merge-utils.ts';
export default elementwise('Maximum', 'Takes the element-wise maximum of its inputs (maxout across branches).');
