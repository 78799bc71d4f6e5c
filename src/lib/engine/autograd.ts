import { isGradEnabled, noGrad } from './grad-mode';
import { ShapeError, ValueError, fmtShape } from './errors';
import { currentScope } from './scope';
import { shapesEqual } from './shape';
import { Tensor } from './tensor';
import { ops } from './ops/index';
import type { OpAttrs, OpDef, OpName } from './ops/types';
import { activeRecorder } from './trace-hooks';

/** The record of how a tensor was made, kept for backward. */
export interface GraphNode<K extends OpName = OpName> {
	op: K;
	inputs: readonly Tensor[];
	attrs: OpAttrs[K];
	saved: unknown;
	path: string;
}

/**
 * Run primitive `name` on `inputs`: forward now, and, when grad mode is on and an input
 * requires grad, a graph node for backward.
 */
export function apply<K extends OpName>(name: K, inputs: readonly Tensor[], attrs: OpAttrs[K]): Tensor {
	const def = ops[name];
	const result = def.forward(inputs, attrs);
	const skip = def.nonDifferentiable ?? [];
	const track = isGradEnabled() && inputs.some((t, i) => t.requiresGrad && !skip.includes(i));
	const out = new Tensor(result.data, result.shape, { requiresGrad: track });
	const path = currentScope();
	if (track) out.node = { op: name, inputs, attrs, saved: result.saved, path } as GraphNode;
	activeRecorder()?.forward(name, path, inputs, out, attrs);
	return out;
}

function topoOrder(root: Tensor): Tensor[] {
	const order: Tensor[] = [];
	const seen = new Set<Tensor>();
	const stack: [Tensor, boolean][] = [[root, false]];
	while (stack.length > 0) {
		const [t, done] = stack.pop()!;
		if (done) {
			order.push(t);
			continue;
		}
		if (seen.has(t)) continue;
		seen.add(t);
		stack.push([t, true]);
		for (const inp of t.node?.inputs ?? []) if (inp.requiresGrad && !seen.has(inp)) stack.push([inp, false]);
	}
	return order.reverse();
}

/**
 * Reverse-mode differentiation from `root`, visiting the graph in reverse topological
 * order so each node's gradient is complete (summed over all its uses) before it flows on.
 */
export function runBackward(root: Tensor, gradient?: Tensor): void {
	if (!root.requiresGrad) {
		throw new ValueError('backward: this tensor does not require grad (no input had requiresGrad, or it was made under noGrad)');
	}
	if (gradient === undefined && root.size !== 1) {
		throw new ValueError(
			`backward: a gradient can only be implied for a scalar output, but this output has shape ${fmtShape(root.shape)}; ` +
				'reduce it first (y.sum().backward()) or pass a gradient of the same shape'
		);
	}
	if (gradient !== undefined && !shapesEqual(gradient.shape, root.shape)) {
		throw new ShapeError('backward', `gradient shape ${fmtShape(gradient.shape)} does not match output shape ${fmtShape(root.shape)}`);
	}
	const order = topoOrder(root);
	const grads = new Map<Tensor, Tensor>();
	const handedOut = new Set<Tensor>();
	grads.set(root, gradient ? gradient.detach() : Tensor.full(root.shape, 1, root.dtype));
	const recorder = activeRecorder();
	// Ops run by backward formulas and gradient sums are not steps of a trace of their own.
	const run = () =>
		noGrad(() => {
			for (const t of order) {
				const g = grads.get(t);
				if (g === undefined) continue;
				const node = t.node;
				if (node === null || t.retainsGrad) {
					// One gradient tensor can flow to several leaves (a + b); each leaf gets its own, so
					// code that edits one .grad in place (clipping, averaging) never edits another.
					const own = handedOut.has(g) ? g.clone() : g;
					handedOut.add(own);
					t.grad = t.grad ? t.grad.add(own) : own;
				}
				if (node === null) continue;
				const def = ops[node.op];
				const skip = def.nonDifferentiable ?? [];
				const needs = node.inputs.map((x, i) => x.requiresGrad && !skip.includes(i));
				const inGrads = runNode(def, node, g, t, needs);
				recorder?.backward(node.op, node.path, t, g, node.inputs, inGrads);
				node.inputs.forEach((x, i) => {
					const gi = inGrads[i];
					if (!needs[i] || gi === null || gi === undefined) return;
					if (!shapesEqual(gi.shape, x.shape)) {
						throw new ShapeError(
							node.op,
							`backward produced a gradient of shape ${fmtShape(gi.shape)} for an input of shape ${fmtShape(x.shape)}`
						);
					}
					// A float32 input used with a float64 one gets its gradient back in float32, as its own dtype.
					const cast = gi.dtype === x.dtype ? gi : gi.to(x.dtype);
					const prev = grads.get(x);
					grads.set(x, prev ? prev.add(cast) : cast);
				});
			}
		});
	if (recorder) recorder.pause(run);
	else run();
}

function runNode(def: (typeof ops)[OpName], node: GraphNode, grad: Tensor, out: Tensor, needs: boolean[]): (Tensor | null)[] {
	// The table's union of op types cannot be narrowed by a runtime name; node.op picked def.
	const generic = def as OpDef<unknown, unknown>;
	return generic.backward({ grad, inputs: node.inputs, out, attrs: node.attrs, saved: node.saved, needs });
}
