export { FrameEncoder, type FrameEncoderOptions } from './frame-encoder';
export {
	AttentionClassifier,
	MeanPoolClassifier,
	ArticleClassifier,
	CLASSIFIERS,
	makeClassifier,
	type ClassifierOptions,
	type ClassifierOutput,
	type ArticleClassifierOutput,
	type ClassifierVariant,
	type FrameClassifier
} from './models';
export { keyFrameAttention, keyFrameShare } from './metrics';
export { classificationTask, type ClassificationDataOptions, type ClassificationModelOptions } from './task';
