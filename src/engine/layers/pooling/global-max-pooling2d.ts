import { globalPooling } from './pool-utils.ts';
export default globalPooling('GlobalMaxPooling2D', 2, 'The largest value of each channel over the whole image.');
