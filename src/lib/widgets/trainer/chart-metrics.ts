/**
 * The metric the trainer panel charts beside the loss, per task: its name in each training step's metrics,
 * its names in a validation report (one worker reports the task's full evaluation, several report the loss's
 * own metrics), and the chart's title.
 */
import type { TaskName } from '$lib/tasks/index';

export const CHART_METRICS: Record<TaskName, { step: string; val: string[]; title: string }> = {
	classification: { step: 'accuracy', val: ['accuracy'], title: 'Accuracy' },
	tracking: { step: 'meanIoU', val: ['meanIoU'], title: 'Mean IoU' },
	generation: { step: 'psnr', val: ['psnr1', 'psnr'], title: 'PSNR (dB), one step ahead' }
};
