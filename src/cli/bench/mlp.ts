import { crossEntropy } from '../../lib/engine/index';
import { SGD } from '../../lib/optim/index';
import { time, type Budget } from './measure';
import { MLP_BATCH, MLP_SIZES, makeMlp, mlpData } from './mlp-spec';
import type { Row } from './report';

export const LR = 0.01;

/** One SGD step of the benchmark MLP on a fixed batch: forward, cross-entropy, backward, update. */
export function glanceMlpStep(): () => void {
	const model = makeMlp(0);
	const optimizer = new SGD(model.parameters(), { lr: LR });
	const batch = mlpData(MLP_BATCH, 1).getBatch(Array.from({ length: MLP_BATCH }, (_, i) => i));
	return () => {
		const loss = crossEntropy(model.forward(batch.x), batch.y);
		optimizer.zeroGrad();
		loss.backward();
		optimizer.step();
		loss.item();
	};
}

export function mlpRow(budget: Budget): Row {
	const t = time(glanceMlpStep(), budget);
	return {
		name: `MLP train step (batch ${MLP_BATCH}, ${MLP_SIZES.join('→')})`,
		unit: 'ms/step',
		higherIsBetter: false,
		glance: t.median,
		peers: {},
		timings: { glance: t }
	};
}
