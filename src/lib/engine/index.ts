export { Tensor, type NestedArray, type TensorLike, type TensorOptions } from './tensor';
export { tensor, full, zeros, ones, zerosLike, onesLike, arange, linspace, cat, stack, oneHot, type FromDataOptions } from './creation';
export { Rng, manualSeed, getDefaultRng, randn, rand, randint, portableLog, type RandomOptions } from './random';
export { noGrad, isGradEnabled } from './grad-mode';
export { withScope, currentScope } from './scope';
export { ShapeError, ValueError, fmtShape } from './errors';
export { broadcastShapes, numel, normDim, type Shape } from './shape';
export { eq, lt, gt, le, ge } from './compare';
export {
	conv2d,
	maxPool2d,
	avgPool2d,
	dropout,
	crossEntropy,
	mseLoss,
	smoothL1Loss,
	bceWithLogits,
	bce,
	type Reduction,
	type PoolOptions
} from './functional';
export { fans, uniform_, normal_, kaimingUniform_, biasBound, xavierUniform_ } from './init';
export { trace, type Trace, type TraceStep, type ForwardStep, type BackwardStep, type TensorRecord } from './trace';
export { gradcheck, type GradcheckReport, type GradcheckOptions, type InputReport } from './gradcheck';
export { ops, type OpName, type OpAttrs, type OpDef } from './ops/index';
export type { DType, Storage } from './dtype';
