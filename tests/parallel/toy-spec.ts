import { mseLoss, type Tensor } from '$lib/engine/index';
import { defineModelSpec, specTable } from '$lib/train/model-spec';
import { Mlp, regression, type Batch } from '../train/toy';

/** A fault armed in shared memory, so it fires once across every worker and every replacement. */
export interface ToyFault {
	/** The first batch containing this example faults. */
	index: number;
	kind: 'throw' | 'exit';
	/** [0] is 1 until a worker fires the fault and sets it to 0. */
	armed: Int32Array;
}

export interface ToyConfig {
	hidden: number;
	trainSize: number;
	valSize: number;
	dataSeed: number;
	fault?: ToyFault;
	gate?: ToyGate;
}

/** Holds the batch containing `index` in its worker until the test opens the gate, so a test can act mid-step. */
export interface ToyGate {
	index: number;
	/** [0]: 1 once open; [1]: 1 while a worker waits at the gate. */
	state: Int32Array;
}

export function closedGate(index: number): ToyGate {
	return { index, state: new Int32Array(new SharedArrayBuffer(8)) };
}

export function openGate(gate: ToyGate): void {
	Atomics.store(gate.state, 0, 1);
	Atomics.notify(gate.state, 0);
}

export function armFault(index: number, kind: ToyFault['kind']): ToyFault {
	const armed = new Int32Array(new SharedArrayBuffer(4));
	armed[0] = 1;
	return { index, kind, armed };
}

function withFaults(data: ReturnType<typeof regression>, config: ToyConfig): ReturnType<typeof regression> {
	return {
		size: data.size,
		getBatch(indices) {
			const gate = config.gate;
			if (gate && indices.includes(gate.index)) {
				Atomics.store(gate.state, 1, 1);
				Atomics.wait(gate.state, 0, 0);
				Atomics.store(gate.state, 1, 0);
			}
			const fault = config.fault;
			if (fault && indices.includes(fault.index) && Atomics.compareExchange(fault.armed, 0, 1, 0) === 1) {
				if (fault.kind === 'exit') process.exit(3);
				throw new Error(`example ${fault.index} is cursed`);
			}
			return data.getBatch(indices);
		}
	};
}

const meanAbs = (a: Tensor, b: Tensor) => a.sub(b).abs().mean().item();

/** The seeded regression MLP of the trainer tests, as a spec a worker can build. */
export const toyRegression = defineModelSpec({
	name: 'toy-regression',
	createModel: (config: ToyConfig, seed: number) => new Mlp(seed, config.hidden),
	createData: (config: ToyConfig) => ({
		train: withFaults(regression(config.trainSize, config.dataSeed), config),
		val: config.valSize > 0 ? regression(config.valSize, config.dataSeed + 1) : undefined
	}),
	lossFn: (model: Mlp, b: Batch) => {
		const prediction = model.forward(b.x);
		return { loss: mseLoss(prediction, b.y), metrics: { meanAbsError: meanAbs(prediction, b.y) } };
	},
	snapshot: (model: Mlp, b: Batch) => ({ hidden: model.fc1.forward(b.x).relu(), prediction: model.forward(b.x) })
});

export const specs = specTable(toyRegression);
