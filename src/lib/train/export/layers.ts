import {
	AttentionModule,
	AttentionPooling,
	Conv2d,
	Dropout,
	Embedding,
	GELU,
	LayerNorm,
	Linear,
	MaxPool2d,
	Module,
	MultiHeadAttention,
	ReLU,
	Sequential,
	Softmax,
	SpatialAttention
} from '../../nn/index';
import type { Pair } from '../../nn/args';
import { pyFloat, pyTuple } from '../../nn/repr';
import { ATTENTION_MODULE_PY, ATTENTION_POOLING_PY, MULTI_HEAD_ATTENTION_PY, SPATIAL_ATTENTION_PY } from './nn-classes';
import { kw, pyPair, type TorchCall, type TorchClass } from './spec';

/**
 * The PyTorch form of every `$lib/nn` module, keyed by class. Arguments at their PyTorch
 * default are left out, as a person writing the layer would. `child(m)` is the Python that
 * builds child module `m` (used by containers).
 */
type Exporter<M extends Module> = (m: M, child: (m: Module) => string) => TorchCall | TorchClass;
type ModuleClass<M extends Module> = abstract new (...args: never[]) => M;

const table = new Map<ModuleClass<Module>, Exporter<Module>>();

function add<M extends Module>(cls: ModuleClass<M>, exporter: Exporter<M>): void {
	table.set(cls, exporter as Exporter<Module>);
}

const call = (callee: string, ...args: (string | number | false)[]): TorchCall => ({
	callee,
	args: args.filter((a): a is string | number => a !== false).map(String)
});

const toPair = (p: Pair): readonly [number, number] => (typeof p === 'number' ? [p, p] : p);
const samePair = (a: Pair, b: Pair) => toPair(a)[0] === toPair(b)[0] && toPair(a)[1] === toPair(b)[1];
const givenPair = (p: Pair) => (typeof p === 'number' ? String(p) : pyPair(p));
const isZero = (p: Pair) => samePair(p, 0);

add(Linear, (m) => call('nn.Linear', m.inFeatures, m.outFeatures, !m.bias && kw('bias', 'False')));
add(ReLU, () => call('nn.ReLU'));
add(GELU, () => call('nn.GELU'));
add(Softmax, (m) => call('nn.Softmax', kw('dim', String(m.dim))));
add(Dropout, (m) => call('nn.Dropout', pyFloat(m.p)));
add(Embedding, (m) => call('nn.Embedding', m.numEmbeddings, m.embeddingDim));
add(Conv2d, (m) =>
	call(
		'nn.Conv2d',
		m.inChannels,
		m.outChannels,
		pyPair(m.kernelSize),
		!samePair(m.stride, 1) && kw('stride', pyPair(m.stride)),
		!isZero(m.padding) && kw('padding', pyPair(m.padding)),
		!m.bias && kw('bias', 'False')
	)
);
add(MaxPool2d, (m) =>
	call(
		'nn.MaxPool2d',
		givenPair(m.kernelSize),
		!samePair(m.stride, m.kernelSize) && kw('stride', givenPair(m.stride)),
		!isZero(m.padding) && kw('padding', givenPair(m.padding))
	)
);
add(LayerNorm, (m) =>
	call(
		'nn.LayerNorm',
		m.normalizedShape.length === 1 ? m.normalizedShape[0] : pyTuple(m.normalizedShape),
		m.eps !== 1e-5 && kw('eps', pyFloat(m.eps)),
		!m.weight && kw('elementwise_affine', 'False')
	)
);
add(Sequential, (m, child) => call('nn.Sequential', ...m.namedChildren().map(([, c]) => child(c))));

add(AttentionModule, (m) => ({
	name: 'AttentionModule',
	source: ATTENTION_MODULE_PY,
	args: [m.attention.inFeatures, m.attention.outFeatures].map(String)
}));
add(AttentionPooling, (m) => ({ name: 'AttentionPooling', source: ATTENTION_POOLING_PY, args: [String(m.dim)] }));
add(SpatialAttention, (m) => ({
	name: 'SpatialAttention',
	source: SPATIAL_ATTENTION_PY,
	imports: ['math'],
	args: [String(m.channels), ...(m.queryDim === null ? [] : [kw('query_dim', String(m.queryDim))])]
}));
add(MultiHeadAttention, (m) => ({
	name: 'MultiHeadAttention',
	source: MULTI_HEAD_ATTENTION_PY,
	args: [
		String(m.embedDim),
		String(m.numHeads),
		...(m.in_proj_bias ? [] : [kw('bias', 'False')]),
		...(m.dropout === 0 ? [] : [kw('dropout', pyFloat(m.dropout))])
	]
}));

/** The exporter for `m`'s own class (not a parent class: a subclass may compute something else), or undefined. */
export function nnExporter(m: Module): Exporter<Module> | undefined {
	return table.get(m.constructor as ModuleClass<Module>);
}
