import { specTable } from '../train/model-spec';

/**
 * The model specs the app's workers can build. A task makes its model trainable in parallel
 * by adding its spec here; Node tools bundle their workers with the table they need.
 */
export const appSpecs = specTable();
