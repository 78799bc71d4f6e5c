import { lessonSummaries } from '$lib/notebook/lessons';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = () => ({ lessons: lessonSummaries() });
