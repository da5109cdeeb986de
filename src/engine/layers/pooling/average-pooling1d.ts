import { pooling1d } from './pool-utils.ts';
export default pooling1d('AveragePooling1D', 'Averages each window of poolSize steps.');
