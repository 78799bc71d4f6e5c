import { ValueError } from '../../engine/index';
import type { Module } from '../../nn/index';
import { toSafetensors } from '../safetensors';
import { nnExporter } from './layers';
import { pythonFile } from './python-file';
import { isTorchClass, pyCall, type TorchCall, type TorchClass, type TorchExportable } from './spec';

export interface ExportOptions {
	/**
	 * Python name of the model's class. Defaults to the class the model already has in Python
	 * (`VideoClassifier`), or `Model` for a bare layer or `Sequential`, which then get a class
	 * deriving from the torch layer.
	 */
	className?: string;
	/** Shape of the forward input (or one shape per argument) for the usage example and demo, which feed it torch.randn. */
	inputShape?: readonly number[] | readonly (readonly number[])[];
	/** More safetensors metadata (strings), beside the `format: pt` PyTorch's readers expect. */
	metadata?: Record<string, string>;
}

export interface PyTorchExport {
	/** A self-contained .py file: the architecture, a safetensors reader and `load_model(path)`. */
	python: string;
	/** The model's state dict as safetensors, the file `load_model` reads. */
	weights: Uint8Array;
	/** Suggested file names: `<baseName>.py` and `<baseName>.safetensors` (the file's demo assumes the latter). */
	baseName: string;
}

const DEFAULT_CLASS_NAME = 'Model';
const PY_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;
// Names the file itself defines or imports, which a class name would shadow.
const TAKEN_NAMES = new Set(['torch', 'nn', 'json', 'struct', 'sys', 'math', 'DTYPES', 'build_model', 'load_model', 'load_safetensors']);
const PY_KEYWORDS = new Set(
	'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
		' '
	)
);

/**
 * Export a model to PyTorch: a readable .py file defining the same architecture in torch.nn,
 * with the same attribute names so the state-dict keys match, and the weights as safetensors.
 * The .py file needs only torch (it carries its own safetensors reader) and defines
 * `load_model(path)`. Pure: returns text and bytes, touches no file or DOM.
 *
 * Layers from `$lib/nn` export as they are, and containers of them (`Sequential`) need
 * nothing more. A model class of its own provides its Python with a `torchSource()` method
 * (see `TorchExportable`). Anything else is refused with its module path and class.
 *
 * @example
 * const { python, weights, baseName } = exportToPyTorch(model, { inputShape: [2, 16, 64] });
 * // write `${baseName}.py` and `${baseName}.safetensors`, then in Python:
 * //   from video_classifier import load_model; model = load_model("video_classifier.safetensors")
 */
export function exportToPyTorch(model: Module, opts: ExportOptions = {}): PyTorchExport {
	const collected = collect(model);
	const root = collected.root;
	const own = isTorchClass(root) ? root.name : null;
	const name = opts.className ?? own ?? DEFAULT_CLASS_NAME;
	const wrap = name !== own;
	if (wrap) checkClassName(name, collected.classes);
	const baseName = snakeCase(name);
	const python = pythonFile({
		name,
		baseName,
		classes: [...collected.classes.values()].map((c) => c.cls),
		imports: [...new Set([...collected.classes.values()].flatMap((c) => c.cls.imports ?? []))],
		root: { callee: isTorchClass(root) ? root.name : root.callee, args: root.args },
		wrap,
		inputShapes: inputShapes(opts.inputShape)
	});
	return { python, weights: toSafetensors(model.stateDict(), { ...opts.metadata, format: 'pt' }), baseName };
}

interface Collected {
	root: TorchCall | TorchClass;
	/** Python classes by name, each after the ones its module contains; `path` is where it was first met. */
	classes: Map<string, { cls: TorchClass; path: string }>;
}

/** Walk the module tree children first, building each module's Python and gathering the classes it needs. */
function collect(model: Module): Collected {
	const classes: Collected['classes'] = new Map();
	const visit = (m: Module, path: string): TorchCall | TorchClass => {
		const built = new Map<Module, string>();
		for (const [name, child] of m.namedChildren()) {
			const spec = visit(child, path ? `${path}.${name}` : name);
			built.set(child, pyCall(isTorchClass(spec) ? spec.name : spec.callee, spec.args));
		}
		const spec = specOf(m, path, (c) => built.get(c)!);
		if (isTorchClass(spec)) addClass(classes, spec, path);
		return spec;
	};
	return { root: visit(model, ''), classes };
}

function specOf(m: Module, path: string, child: (m: Module) => string): TorchCall | TorchClass {
	// Only a hook the module's own class defines counts: an inherited one describes the parent's forward.
	if (Object.prototype.hasOwnProperty.call(m.constructor.prototype, 'torchSource')) {
		return (m as unknown as TorchExportable).torchSource();
	}
	const exporter = nnExporter(m);
	if (exporter) return exporter(m, child);
	const where = path ? `module "${path}"` : 'the model';
	throw new ValueError(
		`exportToPyTorch: ${where} is a ${m.constructor.name}, which has no PyTorch form: it is not a layer from $lib/nn, ` +
			`and its class does not define torchSource() returning its Python class`
	);
}

function addClass(classes: Collected['classes'], cls: TorchClass, path: string): void {
	const seen = classes.get(cls.name);
	if (!seen) {
		classes.set(cls.name, { cls, path });
		return;
	}
	if (seen.cls.source !== cls.source) {
		const at = (p: string) => (p ? `"${p}"` : 'the model');
		throw new ValueError(`exportToPyTorch: ${at(seen.path)} and ${at(path)} define different Python classes both named ${cls.name}`);
	}
}

function checkClassName(name: string, classes: Collected['classes']): void {
	if (!PY_IDENTIFIER.test(name) || PY_KEYWORDS.has(name)) {
		throw new ValueError(`exportToPyTorch: className ${JSON.stringify(name)} is not a valid Python class name`);
	}
	if (TAKEN_NAMES.has(name) || classes.has(name)) {
		throw new ValueError(`exportToPyTorch: className ${name} would clash with a name the exported file already defines or imports`);
	}
}

function inputShapes(shape: ExportOptions['inputShape']): readonly (readonly number[])[] | null {
	if (shape === undefined) return null;
	const shapes = shape.length > 0 && Array.isArray(shape[0]) ? (shape as readonly (readonly number[])[]) : [shape as readonly number[]];
	for (const s of shapes) {
		if (!s.every((d) => Number.isInteger(d) && d >= 0)) {
			throw new ValueError(`exportToPyTorch: inputShape ${JSON.stringify(s)} must list non-negative integer sizes`);
		}
	}
	return shapes;
}

/** `VideoClassifier` → `video_classifier`, the Python convention for module (file) names. */
function snakeCase(name: string): string {
	return name
		.replace(/([a-z0-9])([A-Z])/g, '$1_$2')
		.replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
		.toLowerCase();
}
