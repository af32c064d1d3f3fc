"""Upload text documents into the store: `POST /ingest`, multipart field `files` (one or more).

Needs `Authorization: Bearer <token>` matching CHIDAO_API_TOKEN; with no token configured uploads
are disabled (403). Each file is capped (CHIDAO_UPLOAD_MAX_MB, default 20 MB) and must be UTF-8 or
UTF-16 text (TCVN3/VNI and binary files are refused). If any file is refused, nothing is written
and the answer is 413 (a file too large) or 415 (a file not readable as text) with a result per
file; otherwise every file is extracted and written in one store write, and each file's result
names its document and counts its references and tasks. After a write the task-level lineage
(CARRIES_OUT, COUNTERPART_OF) is derived again over the whole store, as `chidao ingest` does, under
the same write lock: no reader sees the new files without their alignment.
"""

from __future__ import annotations

import hmac
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fastapi import UploadFile
from starlette.concurrency import run_in_threadpool

from api.errors import ApiError, log
from api.locking import ReadWriteLock
from graph.store import GraphStore
from ingest.errors import InputError
from ingest.reader import DEFAULT_MAX_BYTES, decode_bytes

CHUNK = 1024 * 1024
TOO_LARGE, UNDECODABLE, FAILED, INGESTED = "too_large", "undecodable", "failed", "ingested"


@dataclass(frozen=True)
class UploadSettings:
    token: str | None
    max_bytes: int

    @classmethod
    def from_env(cls, token: str | None = None, max_bytes: int | None = None) -> UploadSettings:
        token = token if token is not None else os.environ.get("CHIDAO_API_TOKEN") or None
        if max_bytes is None:
            megabytes = os.environ.get("CHIDAO_UPLOAD_MAX_MB")
            max_bytes = int(float(megabytes) * 1024 * 1024) if megabytes else DEFAULT_MAX_BYTES
        return cls(token, max_bytes)

    def authorize(self, header: str | None) -> None:
        """Raise 403 when uploads are disabled, 401 when the bearer token is missing or wrong."""
        if not self.token:
            raise ApiError(403, "uploads are disabled: the server has no CHIDAO_API_TOKEN")
        scheme, _, given = (header or "").partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), self.token.encode()):
            raise ApiError(401, "uploads need the header 'Authorization: Bearer <token>'")


def safe_name(name: str | None, index: int) -> str:
    """The upload's base name (no folders), or `upload-N.txt`."""
    base = Path((name or "").replace("\\", "/")).name.strip()
    return base if base and base not in (".", "..") else f"upload-{index}.txt"


async def _read_capped(upload: UploadFile, max_bytes: int) -> bytes | None:
    """The file's bytes, or None as soon as it passes `max_bytes`."""
    parts, size = [], 0
    while chunk := await upload.read(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            return None
        parts.append(chunk)
    return b"".join(parts)


async def _check(uploads: list[UploadFile], max_bytes: int) -> tuple[list[dict[str, Any]], list[str]]:
    results, texts = [], []
    for index, upload in enumerate(uploads, 1):
        name = safe_name(upload.filename, index)
        data = await _read_capped(upload, max_bytes)
        if data is None:
            results.append({"file": name, "status": TOO_LARGE,
                            "message": f"{name}: over the upload cap of {max_bytes} bytes"})
            texts.append("")
            continue
        try:
            texts.append(decode_bytes(data, name))
            results.append({"file": name, "status": "accepted"})
        except InputError as exc:
            results.append({"file": name, "status": UNDECODABLE, "message": str(exc)})
            texts.append("")
    return results, texts


def _extract(name: str, text: str) -> dict[str, Any]:
    """The extraction record of one uploaded text (the extractor reads files, so it gets one)."""
    from ingest.extract import extract_file

    with tempfile.TemporaryDirectory(prefix="chidao-upload-") as folder:
        path = Path(folder) / name
        path.write_text(text, encoding="utf-8")
        record = extract_file(path)
    record["file"] = name
    return record


def _write_and_align(store: GraphStore, contributions: list, lock: ReadWriteLock) -> dict[str, Any]:
    """Write the contributions, then align the store, both under the write lock. A failing
    alignment leaves the files stored and is reported, not raised."""
    from graph.align import run_alignment

    with lock.writing():
        store.write(contributions)
        try:
            summary = run_alignment(store)
        except Exception as exc:  # the files are in; the alignment can be derived again later
            log.exception("aligning after an upload")
            return {"alignment": None, "alignment_error": f"the files are stored but the alignment "
                    f"failed ({type(exc).__name__}: {exc}); run `chidao align`"}
    return {"alignment": {"carries_out_tasks": summary.carries_out_tasks,
                          "carries_out_documents": summary.carries_out_documents,
                          "counterparts": summary.counterparts}}


def _ingest(store: GraphStore, results: list[dict[str, Any]], texts: list[str],
            lock: ReadWriteLock) -> dict[str, Any]:
    """Extract every accepted file and write those that extract; `written` counts them."""
    from graph.build import build_contribution

    contributions = []
    for result, text in zip(results, texts, strict=True):
        try:
            record = _extract(result["file"], text)
            contribution = build_contribution(record, source_file=result["file"])
        except InputError as exc:
            result.update(status=FAILED, message=str(exc))
            continue
        except Exception as exc:  # one file's extractor failure must not lose the other files
            log.exception("extracting upload %s", result["file"])
            result.update(status=FAILED, message=f"{result['file']}: cannot extract ({type(exc).__name__})")
            continue
        me = record.get("self") or {}
        doc_keys = [n.key for n in contribution.nodes if n.kind == "Document" and not n.props.get("stub")]
        result.update(status=INGESTED, document=doc_keys[0] if doc_keys else None,
                      references=len(record.get("references") or []), tasks=len(record.get("tasks") or []),
                      message=f"{me.get('type') or 'document'} {me.get('id') or '(no id)'}")
        contributions.append(contribution)
    outcome: dict[str, Any] = {"written": len(contributions)}
    if contributions:
        outcome.update(_write_and_align(store, contributions, lock))
    return outcome


async def ingest_uploads(store: GraphStore, uploads: list[UploadFile], settings: UploadSettings,
                         lock: ReadWriteLock) -> dict[str, Any]:
    if not uploads:
        raise ApiError(422, "no files: send one or more multipart fields named 'files'")
    results, texts = await _check(uploads, settings.max_bytes)
    refused = [r for r in results if r["status"] in (TOO_LARGE, UNDECODABLE)]
    if refused:
        status = 413 if any(r["status"] == TOO_LARGE for r in refused) else 415
        raise ApiError(status, "; ".join(r["message"] for r in refused) + "; nothing was written",
                       files=results)
    try:
        outcome = await run_in_threadpool(_ingest, store, results, texts, lock)
    except ImportError as exc:
        raise ApiError(503, f"the extractor is not available ({exc})") from exc
    return {"files": results, **outcome}
