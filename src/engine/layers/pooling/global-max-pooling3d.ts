import { globalPooling } from './pool-utils.ts';
export default globalPooling('GlobalMaxPooling3D', 3, 'The largest value of each channel over a whole volume or video.');
