export { crossEntropy, mseLoss, smoothL1Loss, bceWithLogits, bce, type Reduction } from './losses';
export { accuracy, RunningMean, MetricsMean, type Metrics } from './metrics';
export type { TrainEvent, StepEvent, EpochEvent, DoneEvent, TrainErrorEvent } from './events';
export { Trainer, type TrainerOptions, type TrainerStatus, type Dataset, type StepOutput } from './trainer';
export { CheckpointError, stateDictToJson, stateDictFromJson, type GlanceStateJson } from './checkpoint';
export { toSafetensors, fromSafetensors, type SafetensorsFile } from './safetensors';
export {
	exportToPyTorch,
	type ExportOptions,
	type PyTorchExport,
	type TorchCall,
	type TorchClass,
	type TorchExportable
} from './export/index';
export {
	defineModelSpec,
	specTable,
	resolveSpec,
	type ModelSpec,
	type AnyModelSpec,
	type SpecTable,
	type SpecRef,
	type SpecData
} from './model-spec';
export { eventStream } from './event-stream';
