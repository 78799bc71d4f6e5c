export { NextFramePredictor, rollout, type PredictionResult } from './predictor';
export { CopyLastFrame, LinearExtrapolation } from './baselines';
export { CausalBlock, type CausalBlockOptions } from './block';
export { FrameTransformer, type FrameTransformerOptions, type PositionalKind } from './model';
export { sinusoidalEncoding } from './positional';
export { meanSquaredError, psnr, frameMse } from './metrics';
export {
	generationTask,
	nextFrameLoss,
	evaluateGeneration,
	asPredictor,
	GENERATION_VARIANTS,
	GENERATION_DATA_DEFAULTS,
	GENERATION_MODEL_DEFAULTS,
	type GenerationVariant,
	type GenerationModelOptions,
	type NextFrameLoss
} from './task';
