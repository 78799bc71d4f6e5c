/**
 * What the stepper traces for each `source`: a model, one input and the loss, run forward and
 * backward inside `trace()`, with names for the tensors that come from outside (parameters by
 * their state-dict name, the batch's tensors by field). The article's models are built at small
 * sizes as written, so they fail at the same op as with the article's sizes. UI-free.
 *
 * @example
 * const { trace, names } = traceSource('mlp'); // 2-layer MLP + cross-entropy on a seeded batch of 4
 */
import { Rng, Tensor, crossEntropy, mseLoss, randn, tensor, trace, type Trace } from '../../engine/index';
import { AttentionModule, Linear, Module, ReLU } from '../../nn/index';
import { ObjectTracker, VideoClassifier, VideoGenerator } from '../../tasks/article/index';
import { tasks, type TaskName } from '../../tasks/index';
import type { StepperSource } from '../../notebook/widgets';

/** A tiny MLP whose every number fits on screen: 3 features → 4 hidden → 2 classes. */
export class TinyMlp extends Module {
	fc1: Linear;
	relu = new ReLU();
	fc2: Linear;
	constructor(rng: Rng) {
		super();
		this.fc1 = new Linear(3, 4, { rng });
		this.fc2 = new Linear(4, 2, { rng });
	}
	forward(x: Tensor): Tensor {
		return this.fc2.forward(this.relu.forward(this.fc1.forward(x)));
	}
}

export interface TracedSource {
	trace: Trace<unknown>;
	/** Labels of the tensors the traced code was given, by tensor id. */
	names: Map<number, string>;
	/** One line for the caption: the model and the input. */
	caption: string;
}

/** What a task source needs from the page: a model and one batch of the task's data. */
export interface TaskInput {
	task: TaskName;
	model: Module;
	batch: unknown;
}

export const TASK_SOURCES: Partial<Record<StepperSource, TaskName>> = {
	classification: 'classification',
	tracking: 'tracking',
	generation: 'generation'
};

function paramNames(model: Module, names = new Map<number, string>()): Map<number, string> {
	for (const [name, p] of model.namedParameters()) names.set(p.id, name);
	return names;
}

/**
 * Trace `loss()` forward and backward, leaving the model's `.grad`s as they were. A model with no weights (a fixed
 * rule such as copy-last) has nothing to backpropagate to: its trace is the forward pass and the loss alone.
 */
function traceLoss(model: Module, loss: () => Tensor): Trace<unknown> {
	const params = model.parameters();
	const saved = params.map((p) => p.grad);
	for (const p of params) p.grad = null;
	try {
		return trace(() => {
			const l = loss();
			if (l.requiresGrad) l.backward();
			return l.item();
		});
	} finally {
		params.forEach((p, i) => (p.grad = saved[i]));
	}
}

/** The source's model, input and loss, traced. `input` is required for the task sources. */
export function traceSource(source: StepperSource, input?: TaskInput): TracedSource {
	const task = TASK_SOURCES[source];
	if (task) {
		if (!input || input.task !== task) throw new Error(`the ${source} source needs a ${task} model and batch`);
		const names = paramNames(input.model);
		for (const [field, v] of Object.entries(input.batch as Record<string, unknown>))
			if (v instanceof Tensor) names.set(v.id, `batch.${field}`);
		const t = traceLoss(input.model, () => tasks[task].loss(input.model as never, input.batch as never).loss);
		const fixed = input.model.parameters().length === 0 ? ': it has no weights, so there is no backward pass' : '';
		return { trace: t, names, caption: `The ${task} model and its loss on one clip${fixed}.` };
	}
	const rng = new Rng(0);
	switch (source) {
		case 'mlp': {
			const model = new TinyMlp(rng);
			const x = randn([4, 3], { rng });
			const y = tensor([0, 1, 1, 0]);
			const names = paramNames(
				model,
				new Map([
					[x.id, 'x'],
					[y.id, 'target']
				])
			);
			return {
				trace: traceLoss(model, () => crossEntropy(model.forward(x), y)),
				names,
				caption: 'A 2-layer MLP (3 → 4 → 2) and cross-entropy on a batch of 4.'
			};
		}
		case 'attention-module': {
			const model = new AttentionModule(4, 4, { rng });
			const x = randn([1, 3, 4], { rng });
			const target = randn([1, 3, 4], { rng });
			const names = paramNames(
				model,
				new Map([
					[x.id, 'input'],
					[target.id, 'target']
				])
			);
			const t = traceLoss(model, () => mseLoss(model.forward(x), target));
			return { trace: t, names, caption: "The article's AttentionModule(4, 4) on a [1, 3, 4] clip, with a squared-error loss." };
		}
		case 'article-classifier':
			return article(new VideoClassifier(8, 4, 3, { rng }), [1, 3, 8], rng, 'VideoClassifier(8, 4, 3) on a [1, 3, 8] clip');
		case 'article-tracker':
			return article(new ObjectTracker(8, 4, 2, { rng }), [1, 3, 6, 6], rng, 'ObjectTracker(8, 4, 2) on a [1, 3, 6, 6] frame');
		case 'article-generator':
			return article(new VideoGenerator(8, 4, 5, { rng }), [1, 3, 6, 6], rng, 'VideoGenerator(8, 4, 5) on a [1, 3, 6, 6] frame');
		default:
			throw new Error(`unknown stepper source "${source}"`);
	}
}

function article(model: Module & { forward(x: Tensor): Tensor }, shape: number[], rng: Rng, what: string): TracedSource {
	const x = randn(shape, { rng });
	const names = paramNames(model, new Map([[x.id, 'input']]));
	const t = traceLoss(model, () => model.forward(x).sum());
	return { trace: t, names, caption: `The article's ${what}, as written.` };
}
