import { pooling2d } from './pool-utils.ts';
export default pooling2d('AveragePooling2D', 'Averages each poolSize window of an image.');
