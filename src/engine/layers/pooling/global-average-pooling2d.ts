import { globalPooling } from './pool-utils.ts';
export default globalPooling('GlobalAveragePooling2D', 2, 'The mean of each channel over the whole image (GoogLeNet, ResNet heads).');
