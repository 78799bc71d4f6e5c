/**
 * Where lessons live: `lessons/NN-slug/index.md` and `lessons/NN-slug/checks.ts`. The folder's
 * number orders the course and the rest of its name is the lesson's URL slug. Kept apart from
 * the loader so the kernel Worker can find a lesson's checks without bundling the markdown parser.
 */

export const LESSON_FOLDER = /^(\d{2,3})-([a-z0-9]+(?:-[a-z0-9]+)*)$/;

export interface LessonPath {
	/** `01-tensors-and-gradients` */
	folder: string;
	/** `tensors-and-gradients` */
	slug: string;
	order: number;
}

/**
 * The lesson folder a glob path such as `/lessons/01-intro/index.md` points into, or null when
 * the folder is not named `NN-slug`.
 *
 * @example
 * lessonPath('/lessons/02-attention-module/checks.ts'); // { folder: '02-attention-module', slug: 'attention-module', order: 2 }
 */
export function lessonPath(path: string): LessonPath | null {
	const folder = /(?:^|\/)lessons\/([^/]+)\/[^/]+$/.exec(path)?.[1];
	const match = folder ? LESSON_FOLDER.exec(folder) : null;
	return match && folder ? { folder, slug: match[2], order: Number(match[1]) } : null;
}

/** Project-relative file name for messages: `/lessons/01-x/index.md` → `lessons/01-x/index.md`. */
export const projectFile = (path: string) => path.replace(/^\//, '');
