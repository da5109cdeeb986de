import { pooling3d } from './pool-utils.ts';
export default pooling3d('MaxPooling3D', 'Keeps the largest value of each poolSize window of a volume or a video (depth, height, width, channels).');
