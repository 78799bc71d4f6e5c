/**
 * `npm run new-lesson -- <slug> "<Title>" [--task classification|tracking|generation|none]`: create
 * `lessons/NN-slug/` with the next free number, a lesson that loads and an exercise whose check works.
 * A bad argument prints why with the usage, exits 2 and writes nothing.
 */
import { UsageError } from './args';
import { createLesson, NEW_LESSON_USAGE, parseNewLessonArgs, type NewLessonArgs } from './lesson-scaffold';

const out = process.stdout;
const err = process.stderr;

async function main(argv: string[]): Promise<number> {
	let args: NewLessonArgs;
	try {
		args = parseNewLessonArgs(argv);
		if (args.help) {
			out.write(`${NEW_LESSON_USAGE}\n`);
			return 0;
		}
		const { folder, slug, files } = await createLesson(args);
		out.write(
			[
				`Created ${files.join(' and ')}.`,
				'',
				'Next:',
				`  - npm run dev, and open /lessons/${slug} to see it`,
				`  - write the lesson in ${folder}/index.md (lessons/README.md describes the format), with each exercise's check in checks.ts`,
				'  - npx vitest run tests/notebook/lesson-exercises.test.ts checks that every starter fails and every solution passes',
				'  - a lesson of the course has at least three exercises and is listed in tests/notebook/lessons.test.ts',
				''
			].join('\n')
		);
		return 0;
	} catch (e) {
		if (!(e instanceof UsageError)) throw e;
		err.write(`error: ${e.message}\n\n${NEW_LESSON_USAGE}\n`);
		return 2;
	}
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(e: unknown) => {
		err.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
		process.exit(1);
	}
);
