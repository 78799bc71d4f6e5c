// The losses live in the engine, built from its primitives; training code imports them from here.
export { crossEntropy, mseLoss, smoothL1Loss, bceWithLogits, bce, type Reduction } from '../engine/index';
