import type { Rng, Tensor } from '../engine/index';
import type { Module } from '../nn/module';
import type { Dataset, StepOutput } from '../train/trainer';
import type { Metrics } from '../train/metrics';

export type TaskName = 'classification' | 'tracking' | 'generation';

/**
 * The attention a model paid on one batch, in the form the lesson views draw:
 * - `frames`: one weight per frame (classification), `[B, T]`;
 * - `positions`: one weight per feature-map cell of every frame (tracking), `[B, T, h, w]`;
 * - `causal`: a T×T matrix per head, query rows over key columns, masked above the diagonal (generation), `[B, heads, T, T]`.
 */
export type AttentionMaps =
	| { kind: 'frames'; weights: Tensor }
	| { kind: 'positions'; weights: Tensor; featureSize: [number, number] }
	| { kind: 'causal'; weights: Tensor; heads: number };

/** Training settings a task picks as defaults and `npm run train` flags override. */
export interface TrainSettings {
	epochs: number;
	batchSize: number;
	lr: number;
	weightDecay: number;
	seed: number;
	/** Clip the total gradient norm to this before each update, if set. */
	clipNorm?: number;
}

/**
 * One of the three video tasks end to end: its data, its model variants (the attention model,
 * a baseline without attention, and where it applies the article's design), its loss and its
 * metrics. Plain objects with no UI, so the same task trains in Node, a Worker and a test.
 */
export interface TaskDefinition<Batch, DataOptions = Record<string, unknown>, ModelOptions = Record<string, unknown>> {
	name: TaskName;
	/** Model variants; the first is the default. */
	variants: readonly string[];
	defaults: { data: DataOptions; model: ModelOptions; train: TrainSettings };
	makeData(opts: Partial<DataOptions> & { seed: number }): { train: Dataset<Batch>; val: Dataset<Batch> };
	makeModel(variant: string, opts: Partial<ModelOptions> & { rng: Rng }): Module;
	/** Loss of one batch, with cheap per-batch metrics (accuracy, IoU…). */
	loss(model: Module, batch: Batch): StepOutput;
	/** The task's full metrics over a split, computed without gradients. */
	evaluate(model: Module, data: Dataset<Batch>): Metrics;
	/** The metric `npm run train` compares against the baseline, and whether higher is better. */
	headline: { metric: string; higherIsBetter: boolean };
	/** The model's attention on a batch, or null for a variant without attention. */
	attention(model: Module, batch: Batch): AttentionMaps | null;
}
