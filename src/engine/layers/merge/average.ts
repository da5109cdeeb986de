import { elementwise } from './merge-utils.ts';
export default elementwise('Average', 'Averages its inputs element-wise: ensembles of branches.');
