/**
 * One kernel per page: every code and exercise cell of a lesson calls `useKernel(lessonSlug)` and
 * gets the same Kernel, so the cells share variables in the order they run. The kernel's Worker
 * starts on the first run and is shut down when the page's last cell goes away.
 */
import { onDestroy } from 'svelte';
import { Kernel } from '../kernel/client';

const kernels = new Map<string, { kernel: Kernel; users: number }>();

/**
 * The page's kernel, for use while a component initialises.
 *
 * @example
 * const kernel = useKernel(lessonSlug);
 * const result = await kernel.run({ cellId: cell.id, code, lang: 'ts' });
 * if (result.status === 'ok') await kernel.check(cell.id);
 */
export function useKernel(lessonSlug: string): Kernel {
	let entry = kernels.get(lessonSlug);
	if (!entry) {
		entry = { kernel: new Kernel({ lessonSlug }), users: 0 };
		kernels.set(lessonSlug, entry);
	}
	const mine = entry;
	mine.users++;
	onDestroy(() => {
		mine.users--;
		// Wait a tick: when a cell is re-keyed, the old one is destroyed before the new one asks for the kernel.
		setTimeout(() => {
			if (mine.users > 0 || kernels.get(lessonSlug) !== mine) return;
			mine.kernel.dispose();
			kernels.delete(lessonSlug);
		});
	});
	return mine.kernel;
}
