import type { OpTable } from './types';
import { abs } from './abs';
import { add } from './add';
import { avgPool2d } from './avgPool2d';
import { cat } from './cat';
import { conv2d } from './conv2d';
import { div } from './div';
import { dropout } from './dropout';
import { exp } from './exp';
import { expand } from './expand';
import { gather } from './gather';
import { gelu } from './gelu';
import { indexSelect } from './indexSelect';
import { log } from './log';
import { logSoftmax } from './logSoftmax';
import { maskedFill } from './maskedFill';
import { matmul } from './matmul';
import { max } from './max';
import { maxPool2d } from './maxPool2d';
import { mul } from './mul';
import { neg } from './neg';
import { permute } from './permute';
import { pow } from './pow';
import { relu } from './relu';
import { reshape } from './reshape';
import { sigmoid } from './sigmoid';
import { slice } from './slice';
import { softmax } from './softmax';
import { sqrt } from './sqrt';
import { sub } from './sub';
import { sum } from './sum';
import { tanh } from './tanh';

/** Every primitive, by name. The type makes a missing op, or an op without a backward, a compile error. */
export const ops: OpTable = {
	abs,
	add,
	avgPool2d,
	cat,
	conv2d,
	div,
	dropout,
	exp,
	expand,
	gather,
	gelu,
	indexSelect,
	log,
	logSoftmax,
	maskedFill,
	matmul,
	max,
	maxPool2d,
	mul,
	neg,
	permute,
	pow,
	relu,
	reshape,
	sigmoid,
	slice,
	softmax,
	sqrt,
	sub,
	sum,
	tanh
};

export type { OpName, OpAttrs, OpDef } from './types';
