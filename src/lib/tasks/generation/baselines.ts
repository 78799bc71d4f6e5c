import { cat, gt, type Tensor } from '../../engine/index';
import type { TorchClass } from '../../train/export/index';
import { NextFramePredictor, checkFrames, type PredictionResult } from './predictor';
import { COPY_LAST_FRAME_PY, LINEAR_EXTRAPOLATION_PY } from './python';

/**
 * The simplest guess: the next frame looks like the last one. Nothing moves, so every ball
 * is wrong by however far it travels in one frame. Any learned model has to beat this.
 *
 * Shape: frames `[B, T, H, W]` → predictions `[B, T, H, W]` (the input itself); no attention.
 *
 * @example
 * new CopyLastFrame().forward(frames).predictions; // equal to frames
 */
export class CopyLastFrame extends NextFramePredictor {
	readonly maxFrames = Infinity;

	forward(frames: Tensor): PredictionResult {
		checkFrames('copyLastFrame', frames);
		return { predictions: frames, attention: [] };
	}

	/** The same predictor in PyTorch, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		return { name: 'CopyLastFrame', source: COPY_LAST_FRAME_PY, args: [] };
	}
}

/**
 * Pixelwise linear extrapolation: `clamp(2·f_t − f_{t−1}, 0, 1)`, taking f_{−1} = f_0 at the
 * first frame (no motion seen yet, so a copy). It continues each pixel's change, which is not a
 * ball's motion: the ball does not move on, it stays where it is with its leading edge doubled
 * in brightness (and clamped) and its trailing edge erased. It shows why predicting motion needs
 * more than pixel arithmetic: something has to know where the ball is and how fast it goes.
 *
 * Shape: frames `[B, T, H, W]` → predictions `[B, T, H, W]`; no attention.
 *
 * @example
 * new LinearExtrapolation().forward(frames).predictions; // [B, T, H, W]
 */
export class LinearExtrapolation extends NextFramePredictor {
	readonly maxFrames = Infinity;

	forward(frames: Tensor): PredictionResult {
		const T = checkFrames('linearExtrapolation', frames)[1];
		const previous = cat([frames.slice(1, 0, 1), frames.slice(1, 0, T - 1)], 1);
		const extrapolated = frames.mul(2).sub(previous);
		// Clamped to [0, 1] exactly (no 1 − (1 − x) rounding), so an unchanged pixel is predicted bit for bit.
		const predictions = extrapolated.relu().maskedFill(gt(extrapolated, 1), 1);
		return { predictions, attention: [] };
	}

	/** The same predictor in PyTorch, for `exportToPyTorch`. */
	torchSource(): TorchClass {
		return { name: 'LinearExtrapolation', source: LINEAR_EXTRAPOLATION_PY, args: [] };
	}
}
