export { Module, Parameter, type StateDict } from './module';
export { Linear, type LinearOptions } from './linear';
export { ReLU, GELU, Softmax } from './activation';
export { Sequential, type TensorModule } from './sequential';
export { Conv2d, type Conv2dOptions } from './conv2d';
export { MaxPool2d, type MaxPool2dOptions } from './max-pool2d';
export { LayerNorm, type LayerNormOptions } from './layer-norm';
export { Dropout } from './dropout';
export { Embedding } from './embedding';
export {
	MultiHeadAttention,
	type MultiHeadAttentionOptions,
	type AttentionCallOptions,
	type AttentionResult
} from './multi-head-attention';
export { AttentionModule } from './attention-module';
export { AttentionPooling } from './attention-pooling';
export { SpatialAttention, type SpatialAttentionOptions } from './spatial-attention';
export type { Pair } from './args';
