export { type Clip, clipFrame, clipChecksum } from './clip';
export { type Box, normalizeBox, squareBox } from './box';
export { type ClipOptions, type SplitOptions, type ResolvedClipOptions, type ResolvedSplitOptions } from './options';
export { VideoSplit, type VideoDataset, type SplitName, exampleSeed, streamSeed } from './dataset';
export { type Trajectory, type Bounds, bounce, randomBounce } from './motion';
export { normalTable, addPixelNoise } from './noise';
export { type FrameView, frameView, fillRect, drawMask, drawDisc, MIN_INTENSITY, MAX_INTENSITY } from './raster';
export { type Dot, DOT_SIZE, randomDots, drawDots } from './dots';
export { SHAPE_NAMES, MIN_SHAPE_SIZE, type ShapeName, shapeMask } from './shapes';
export {
	type ClassificationOptions,
	type ResolvedClassificationOptions,
	type ClassificationTruth,
	type ClassificationBatch,
	type ClassificationDataset,
	resolveClassificationOptions,
	keyFrameMask,
	drawClassificationExample,
	classificationExample,
	makeClassificationDataset
} from './classification';
export {
	type TrackingOptions,
	type ResolvedTrackingOptions,
	type TrackingTruth,
	type TrackingBatch,
	type TrackingDataset,
	resolveTrackingOptions,
	drawTrackingExample,
	trackingExample,
	makeTrackingDataset
} from './tracking';
export {
	type GenerationOptions,
	type ResolvedGenerationOptions,
	type GenerationTruth,
	type GenerationBatch,
	type GenerationDataset,
	resolveGenerationOptions,
	drawGenerationExample,
	ballPositions,
	generationExample,
	makeGenerationDataset
} from './generation';
