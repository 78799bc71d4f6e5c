"""
Write PyTorch reference fixtures for every engine op to tests/reference/fixtures/<op>.json.

Run with Debian's PyTorch (`npm run fixtures`, i.e. /usr/bin/python3 with python3-torch 1.13).
The output is committed: CI runs the engine against it without PyTorch. Each op's cases are
drawn from torch.manual_seed(crc32(op)), so adding cases to one op leaves every other file
unchanged. See fixture_lib.py for the file format and how inputs stay bit-identical.
"""

import json
import pathlib
import sys
import zlib

sys.dont_write_bytecode = True

import torch  # noqa: E402

import cases_elementwise  # noqa: E402
import cases_index  # noqa: E402
import cases_loss  # noqa: E402
import cases_nn  # noqa: E402
import cases_reduce  # noqa: E402
import cases_shape  # noqa: E402

FAMILIES = [cases_elementwise, cases_reduce, cases_shape, cases_index, cases_nn, cases_loss]
OUT_DIR = pathlib.Path(__file__).resolve().parent / "fixtures"


def main(only):
    torch.set_default_dtype(torch.float32)
    OUT_DIR.mkdir(exist_ok=True)
    ops = {name: build for family in FAMILIES for name, build in family.OPS.items()}
    unknown = set(only) - set(ops)
    if unknown:
        sys.exit(f"unknown op(s): {', '.join(sorted(unknown))}; known: {', '.join(sorted(ops))}")
    total_cases = total_bytes = 0
    for name, build in ops.items():
        if only and name not in only:
            continue
        torch.manual_seed(zlib.crc32(name.encode()))
        cases = build()
        text = json.dumps({"op": name, "torch": torch.__version__, "cases": cases}, separators=(",", ":"))
        (OUT_DIR / f"{name}.json").write_text(text + "\n")
        total_cases += len(cases)
        total_bytes += len(text) + 1
    print(f"wrote {total_cases} cases for {len(only) or len(ops)} ops ({total_bytes / 1024:.0f} KiB) to {OUT_DIR}")


if __name__ == "__main__":
    main(sys.argv[1:])
