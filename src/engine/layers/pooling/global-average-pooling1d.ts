import { globalPooling } from './pool-utils.ts';
export default globalPooling('GlobalAveragePooling1D', 1, 'The mean of each channel over all steps.');
