import { globalPooling } from './pool-utils.ts';
export default globalPooling('GlobalMaxPooling1D', 1, 'The largest value of each channel over all steps.');
