"""`chidao ingest PATH…`: extract each text file and store what it says, in one atomic write.

Contributions go to the store as they are extracted (the embedded store encodes each and keeps
only the bytes until the merge), so memory does not grow with every file's objects.

Folders are searched recursively for `*.txt`. A file that cannot be read or extracted is
reported as `FILE:LINE: reason` and skipped; the others are still stored, and the exit code is
1 when any file failed.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from chidao.common import CommandError, run, store_from
from graph.align import run_alignment
from graph.build import build_contribution
from graph.model import DOCUMENT, REFERENCE_TYPES, TASK, Contribution
from graph.packed import decode_contribution, encode_contribution

Extractor = Callable[[Path], dict[str, Any]]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("ingest", help="extract text files and add them to the graph",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("paths", nargs="+", metavar="PATH", help="text files or folders (*.txt, recursive)")
    parser.add_argument("--no-progress", action="store_true", help="no progress bar even on a terminal")
    parser.add_argument("-j", "--jobs", type=int, default=1, metavar="N",
                        help="extract with N processes (default 1; 0: one per CPU)")
    parser.set_defaults(func=run(ingest_command))


@dataclass
class Outcome:
    """What an ingest stored and what failed, counted as the contributions go by (the store
    takes them one at a time; nobody holds them all)."""

    stored: int = 0
    documents: int = 0
    references: int = 0
    tasks: int = 0
    failures: list[str] = field(default_factory=list)

    def count(self, contribution: Contribution) -> None:
        self.stored += 1
        for node in contribution.nodes:
            if node.kind == TASK:
                self.tasks += 1
            elif node.kind == DOCUMENT and not node.props.get("stub"):
                self.documents += 1
        self.references += sum(1 for e in contribution.edges
                               if e.type in REFERENCE_TYPES and e.src.startswith("doc:"))


def ingest_command(args: argparse.Namespace) -> int:
    extract = load_extractor()
    files, failures = collect_files([Path(p) for p in args.paths])
    if not files and not failures:
        raise CommandError("no *.txt files under " + ", ".join(args.paths))
    store = store_from(args)
    show_progress = sys.stderr.isatty() and not args.no_progress
    outcome = Outcome(failures=list(failures))
    try:
        store.write(extract_each(files, extract, show_progress, args.jobs, outcome))
    except OSError as exc:
        raise CommandError(f"cannot write the store: {exc}; nothing was changed", code=2) from exc
    alignment = None
    if outcome.stored:
        try:  # task-level lineage is derived from the whole store, so it follows every write
            alignment = run_alignment(store)
        except OSError as exc:
            raise CommandError(f"files stored, but the alignment could not be written: {exc}; "
                               "run `chidao align`", code=2) from exc
    print(summary(outcome, store))
    if alignment is not None:
        print(alignment)
    for failure in outcome.failures:
        print(f"  failed: {failure}", file=sys.stderr)
    return 1 if outcome.failures else 0


def load_extractor() -> Extractor:
    try:
        from ingest.extract import extract_file
    except ImportError as exc:
        raise CommandError(f"the extractor is not available ({exc})", code=2) from exc
    return extract_file


def collect_files(paths: list[Path]) -> tuple[list[Path], list[str]]:
    """The text files named or found under folders, sorted and without repeats; a path that
    does not exist is a failure."""
    files: dict[Path, None] = {}
    failures = []
    for path in paths:
        if path.is_dir():
            for found in sorted(path.rglob("*.txt")):
                if not found.is_dir():
                    files.setdefault(found, None)
        elif path.exists() or path.is_symlink():
            files.setdefault(path, None)
        else:
            failures.append(f"{path}: no such file or folder")
    return list(files), failures


def extract_each(files: list[Path], extract: Extractor, show_progress: bool, jobs: int,
                 outcome: Outcome) -> Iterator[Contribution]:
    """Each file's contribution in file order, as it is extracted; failures and counts go to
    `outcome`."""
    for contribution, failure in _progress(_results(files, extract, jobs), files, show_progress):
        if contribution is not None:
            outcome.count(contribution)
            yield contribution
        if failure:
            outcome.failures.append(failure)


def _results(files: list[Path], extract: Extractor, jobs: int
             ) -> Iterator[tuple[Contribution | None, str | None]]:
    """Each file's (contribution, failure), in file order; in worker processes when jobs ≠ 1."""
    workers = jobs if jobs > 0 else (os.cpu_count() or 1)
    if workers == 1 or len(files) < 2:
        return (ingest_one(path, extract) for path in files)
    pool = ProcessPoolExecutor(max_workers=min(workers, len(files)))
    chunk = max(1, len(files) // (workers * 8))
    results = pool.map(_ingest_in_worker, files, chunksize=chunk)
    return _closing(pool, ((None if blob is None else decode_contribution(blob), failure)
                           for blob, failure in results))


def _closing(pool: ProcessPoolExecutor, results: Iterator[Any]) -> Iterator[Any]:
    try:
        yield from results
    finally:
        pool.shutdown(cancel_futures=True)


def _ingest_in_worker(path: Path) -> tuple[bytes | None, str | None]:
    """A worker's answer: the contribution encoded (bytes cross the process boundary several
    times faster than the objects), or the failure."""
    contribution, failure = ingest_one(path, load_extractor())
    return (None if contribution is None else encode_contribution(contribution)), failure


def ingest_one(path: Path, extract: Extractor) -> tuple[Contribution | None, str | None]:
    """One file's contribution, or the reason it failed (`FILE:LINE: reason`)."""
    from ingest.errors import InputError

    try:
        record = extract(path)
        return build_contribution(record, source_file=source_name(path)), None
    except InputError as exc:
        return None, str(exc)
    except UnicodeError as exc:
        return None, f"{path}: cannot decode the text ({exc.__class__.__name__}: {exc})"
    except OSError as exc:
        return None, f"{path}: cannot read the file ({exc.strerror or exc})"
    except (ValueError, KeyError, TypeError) as exc:
        return None, f"{path}: the extracted record is unusable ({exc.__class__.__name__}: {exc})"
    except Exception as exc:  # one file's failure must not lose the batch: report it and go on
        return None, f"{path}: extraction failed ({exc.__class__.__name__}: {exc})"


def source_name(path: Path) -> str:
    """A file's identity in the store: its absolute path, so the same file ingested from another
    working folder replaces its own contribution."""
    return str(path.absolute())


def _progress(results: Iterator[Any], files: list[Path], show: bool) -> Iterator[Any]:
    """Pass `results` through, drawing a bar on stderr when asked (a terminal)."""
    total = len(files)
    width = 30
    for index, result in enumerate(results):
        if show:
            filled = width * (index + 1) // max(total, 1)
            bar = "#" * filled + "." * (width - filled)
            sys.stderr.write(f"\r[{bar}] {index + 1}/{total} {files[index].name[:40]:<40}")
            sys.stderr.flush()
        yield result
    if show:
        sys.stderr.write("\n")
        sys.stderr.flush()


def summary(outcome: Outcome, store: Any) -> str:
    """`ingested 5 of 5 files: 5 documents, 98 references (70 stubs in the store), 116 tasks`."""
    stubs = sum(1 for n in store.nodes(DOCUMENT) if n.props.get("stub"))
    attempted = outcome.stored + len(outcome.failures)
    return (f"ingested {outcome.stored} of {attempted} files: {outcome.documents} documents, "
            f"{outcome.references} references, {stubs} stubs in the store, {outcome.tasks} tasks, "
            f"{len(outcome.failures)} failures")
