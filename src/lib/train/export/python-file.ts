import { indent, indentTail, pyCall, pyStr, type TorchCall, type TorchClass } from './spec';

/** Everything the exported file says about one model. */
export interface PythonFileParts {
	/** The Python name of the model's class. */
	name: string;
	/** File name stem the docstring and demo use for the weights: `<baseName>.safetensors`. */
	baseName: string;
	/** Class definitions the model needs, each after the classes it builds on. */
	classes: readonly TorchClass[];
	/** Standard-library modules the classes import. */
	imports: readonly string[];
	/** The call that builds the model. */
	root: TorchCall;
	/** When set, the model gets a class `name` of its own deriving from `root.callee`, built with root's arguments. */
	wrap: boolean;
	/** One shape per forward argument, for the usage example and the demo; omitted when unknown. */
	inputShapes: readonly (readonly number[])[] | null;
}

/** Imports every exported file needs: json, struct and sys for the safetensors reader and the demo. */
const BASE_IMPORTS = ['json', 'struct', 'sys'];

const SAFETENSORS_READER = `# The safetensors dtypes this reader understands, and the torch dtypes they hold.
DTYPES = {"F64": torch.float64, "F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16}


def load_safetensors(path):
    """
    Read a .safetensors file into {name: tensor} without the safetensors package. The format:
    an 8-byte little-endian header length N, N bytes of JSON {name: {dtype, shape, data_offsets}},
    then the tensors' raw little-endian bytes, with offsets counted from the end of the header.
    """
    if sys.byteorder != "little":
        raise RuntimeError("load_safetensors reads the data as stored, little-endian, so it needs a little-endian machine")
    with open(path, "rb") as f:
        # A bytearray, not bytes: torch.frombuffer warns about read-only buffers.
        data = bytearray(f.read())
    (header_len,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8 : 8 + header_len])
    start = 8 + header_len
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = DTYPES[info["dtype"]]
        begin, end = info["data_offsets"]
        if begin == end:
            # torch.frombuffer refuses an empty buffer.
            tensors[name] = torch.empty(info["shape"], dtype=dtype)
        else:
            tensors[name] = torch.frombuffer(data[start + begin : start + end], dtype=dtype).reshape(info["shape"])
    return tensors`;

/** The `torch.randn(...)` inputs of the usage example, or null when the input shapes are unknown. */
function exampleInputs(shapes: PythonFileParts['inputShapes']): string | null {
	return shapes && shapes.map((s) => `torch.randn(${s.join(', ')})`).join(', ');
}

function docstring(p: PythonFileParts): string {
	const weights = `${p.baseName}.safetensors`;
	const inputs = exampleInputs(p.inputShapes);
	const usage = [`model = load_model(${pyStr(weights)})`, ...(inputs ? ['with torch.no_grad():', `    output = model(${inputs})`] : [])];
	return `"""
${p.name}, exported from Glance: the model in torch.nn, and a loader for its weights.

The attribute names are the ones the model has in Glance, so the state-dict keys are the
keys in the weights file (${weights}) and load_state_dict takes it as it is.
Only PyTorch is needed: the safetensors reader below is plain Python.

${indent(usage.join('\n'), 1)}
"""`;
}

function imports(p: PythonFileParts): string {
	const std = [...new Set([...BASE_IMPORTS, ...p.imports])].sort();
	return [...std.map((m) => `import ${m}`), '', 'import torch', 'import torch.nn as nn'].join('\n');
}

/** A class for the model itself, when it has no class of its own or is renamed. */
function wrapperClass(p: PythonFileParts): string {
	const init = pyCall('super().__init__', p.root.args);
	return `class ${p.name}(${p.root.callee}):
    """The model as Glance built it: these are the sizes its weights were trained at."""

    def __init__(self):
${indent(init, 2)}`;
}

function buildModel(p: PythonFileParts): string {
	const build = p.wrap ? `${p.name}()` : pyCall(p.root.callee, p.root.args);
	return `def build_model():
    """The model's architecture with fresh weights; load_model fills in the trained ones."""
    return ${indentTail(build, 1)}`;
}

const LOAD_MODEL = `def load_model(path):
    """Build the model, load the weights Glance exported (every key must match), and switch to eval mode."""
    model = build_model()
    model.load_state_dict(load_safetensors(path))
    return model.eval()`;

function demo(p: PythonFileParts): string {
	const inputs = exampleInputs(p.inputShapes);
	const run = inputs
		? `
    with torch.no_grad():
        output = model(${inputs})
    # Models with several outputs (attention pooling, multi-head attention) return tuples.
    outputs = output if isinstance(output, tuple) else (output,)
    print("output shapes:", ", ".join(str(tuple(o.shape)) for o in outputs))`
		: '';
	return `if __name__ == "__main__":
    # python ${p.baseName}.py [weights]: load the weights${inputs ? ' and run the model on random input' : ''}.
    model = load_model(sys.argv[1] if len(sys.argv) > 1 else ${pyStr(`${p.baseName}.safetensors`)})
    print(model)${run}`;
}

/** The exported .py file: docstring, imports, classes, build_model, the safetensors reader, load_model and a demo. */
export function pythonFile(p: PythonFileParts): string {
	const sections = [
		docstring(p),
		imports(p),
		...p.classes.map((c) => c.source),
		...(p.wrap ? [wrapperClass(p)] : []),
		buildModel(p),
		SAFETENSORS_READER,
		LOAD_MODEL,
		demo(p)
	];
	// PEP 8: one blank line after the docstring and the imports, two between top-level definitions.
	return `${sections[0]}\n\n${sections[1]}\n\n\n${sections.slice(2).join('\n\n\n')}\n`;
}
