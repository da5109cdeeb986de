import { globalPooling } from './pool-utils.ts';
export default globalPooling('GlobalAveragePooling3D', 3, 'The mean of each channel over a whole volume or video (3-D CNN heads).');
