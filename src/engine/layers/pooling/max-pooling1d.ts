import { pooling1d } from './pool-utils.ts';
export default pooling1d('MaxPooling1D', 'Keeps the largest value of each window of poolSize steps.');
