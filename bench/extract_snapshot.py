"""Snapshot the extractor's output on a fixed set of documents, and compare two snapshots.

Speed work on the extractor must not change what it extracts. This tool writes one JSON record per
document (the `chidao extract` record) for: the OCR'd samples (data/samples), the clean extra
documents (../shared/corpus-extra, when present), the robustness set (tests/data/unseen, clean and
OCR-damaged) and a generated national sample (bench/generate.py with a fixed seed), then compares a
later snapshot with an earlier one, document by document and field by field.

    .venv/bin/python bench/extract_snapshot.py write /tmp/before
    ... change the extractor ...
    .venv/bin/python bench/extract_snapshot.py write /tmp/after
    .venv/bin/python bench/extract_snapshot.py compare /tmp/before /tmp/after

`compare` exits 1 when any record differs and prints the first differing fields of each.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.errors import InputError  # noqa: E402
from ingest.extract import extract_file  # noqa: E402

FIXED_SETS = {
    "samples": ROOT / "data" / "samples",
    "extra": ROOT.parent / "shared" / "corpus-extra",
    "unseen-text": ROOT / "tests" / "data" / "unseen" / "text",
    "unseen-ocr": ROOT / "tests" / "data" / "unseen" / "ocr",
}


def snapshot_inputs(generated: Path) -> list[tuple[str, Path]]:
    """(set name, file) for every document of the snapshot, in a stable order."""
    inputs: list[tuple[str, Path]] = []
    for name, folder in {**FIXED_SETS, "generated": generated}.items():
        if folder.is_dir():
            inputs.extend((name, path) for path in sorted(folder.glob("*.txt")))
    return inputs


def generate_sample(folder: Path, communes: int) -> None:
    """A small national corpus, always the same for the same size (fixed seed)."""
    subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), str(folder),
                    "--communes", str(communes), "--seed", "7"], check=True,
                   stdout=subprocess.DEVNULL)


def write_snapshot(out: Path, communes: int) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        generated = Path(tmp) / "generated"
        generate_sample(generated, communes)
        inputs = snapshot_inputs(generated)
        started = time.process_time()
        for set_name, path in inputs:
            (out / f"{set_name}__{path.name}.json").write_text(
                json.dumps(_record(path), ensure_ascii=False, indent=1, sort_keys=True),
                encoding="utf-8")
        seconds = time.process_time() - started
    print(f"{len(inputs)} records written to {out} in {seconds:.1f} s CPU")


def _record(path: Path) -> dict:
    try:
        return extract_file(path)
    except InputError as error:
        return {"input_error": str(error)}


def compare_snapshots(before: Path, after: Path, show: int) -> int:
    names_before = {p.name for p in before.glob("*.json")}
    names_after = {p.name for p in after.glob("*.json")}
    problems = [f"only in {before}: {name}" for name in sorted(names_before - names_after)]
    problems += [f"only in {after}: {name}" for name in sorted(names_after - names_before)]
    differing = 0
    for name in sorted(names_before & names_after):
        old = json.loads((before / name).read_text(encoding="utf-8"))
        new = json.loads((after / name).read_text(encoding="utf-8"))
        if old != new:
            differing += 1
            problems.extend(f"{name}: {line}" for line in _differences(old, new, "")[:show])
    for line in problems:
        print(line)
    total = len(names_before | names_after)
    print(f"{total - differing} of {total} records identical, {differing} differ")
    return 1 if problems else 0


def _differences(old: object, new: object, where: str) -> list[str]:
    if isinstance(old, dict) and isinstance(new, dict):
        found: list[str] = []
        for key in sorted(set(old) | set(new)):
            found += _differences(old.get(key), new.get(key), f"{where}.{key}")
        return found
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        found = []
        for index, (a, b) in enumerate(zip(old, new, strict=True)):
            found += _differences(a, b, f"{where}[{index}]")
        return found
    if old == new:
        return []
    return [f"{where or '.'}: {_short(old)} → {_short(new)}"]


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 160 else text[:157] + "…"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    write = commands.add_parser("write", help="extract every snapshot document into a folder")
    write.add_argument("out", type=Path)
    write.add_argument("--communes", type=int, default=40, help="size of the generated sample")
    compare = commands.add_parser("compare", help="compare two snapshot folders")
    compare.add_argument("before", type=Path)
    compare.add_argument("after", type=Path)
    compare.add_argument("--show", type=int, default=5, help="differences shown per record")
    args = parser.parse_args()
    if args.command == "write":
        write_snapshot(args.out, args.communes)
        return 0
    return compare_snapshots(args.before, args.after, args.show)


if __name__ == "__main__":
    sys.exit(main())
