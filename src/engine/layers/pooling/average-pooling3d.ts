import { pooling3d } from './pool-utils.ts';
export default pooling3d('AveragePooling3D', 'The mean of each poolSize window of a volume or a video (depth, height, width, channels).');
