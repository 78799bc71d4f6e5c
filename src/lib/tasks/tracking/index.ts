export { trackingTask, type TrackingVariant, type TrackingDataOptions, type TrackingModelOptions } from './task';
export {
	Tracker,
	AttentionTracker,
	PoolingTracker,
	DEFAULT_CHANNELS,
	DEFAULT_HIDDEN,
	type TrackerOptions,
	type TrackerOutput
} from './models';
export { FrameEncoder, type FrameEncoderOptions } from './encoder';
export { cellCentres, boxMask, boxFromCentre, iouTensor } from './box-ops';
export {
	SUCCESS_THRESHOLDS,
	PRECISION_RADIUS_PX,
	boxIoU,
	centreDistance,
	successCurve,
	successAuc,
	precisionAt,
	attentionPeak,
	pointInBox
} from './metrics';
export { FIRST_SCORED_FRAME, TrackingScores } from './scores';
