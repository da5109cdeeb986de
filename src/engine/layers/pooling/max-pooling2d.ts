import { pooling2d } from './pool-utils.ts';
export default pooling2d('MaxPooling2D', 'Keeps the largest value of each poolSize window of an image.');
