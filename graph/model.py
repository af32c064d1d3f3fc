"""The graph vocabulary (conventions.md): node kinds, relationship types, keys.

Every node has a string key that encodes its identity, so that two stores (networkx, Neo4j)
agree on it without sharing state:

- Document  `doc:{canonical id}@{jurisdiction}` (`doc:57-NQ/TW@national`,
  `doc:1-KH/BCĐ@Quảng Ngãi`: numbers compare as integers, so the key drops leading zeros; the
  `id` property keeps them); a year is appended (`#2020`) only where the same id and
  jurisdiction name two documents; a document without a readable id is `doc:file:{file name}`.
- Task      `task:{document key}#{section}.{number}`
- Agency    `agency:{canonical name}@{jurisdiction}` (cơ quan, đơn vị: issuer, lead or supporting unit)
- Place     `place:{level}:{name}` (`place:province:Quảng Ngãi`, `place:commune:Ngọk Bay@Quảng Ngãi`)
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

DOCUMENT, TASK, AGENCY, PLACE = "Document", "Task", "Agency", "Place"
NODE_KINDS = (DOCUMENT, TASK, AGENCY, PLACE)

IMPLEMENTS, BASED_ON, AMENDS, CITES = "IMPLEMENTS", "BASED_ON", "AMENDS", "CITES"
ISSUED_BY, PART_OF, LED_BY, SUPPORTED_BY = "ISSUED_BY", "PART_OF", "LED_BY", "SUPPORTED_BY"
LOCATED_IN, CARRIES_OUT, COUNTERPART_OF = "LOCATED_IN", "CARRIES_OUT", "COUNTERPART_OF"

#: document → document relations, strongest first (implements > based_on > amends > cites)
REFERENCE_TYPES = (IMPLEMENTS, BASED_ON, AMENDS, CITES)
#: the edges a lineage walk follows by default; CITES only on request, so its fan-out stays out
LINEAGE_TYPES = (IMPLEMENTS, CARRIES_OUT)
EDGE_TYPES = (*REFERENCE_TYPES, ISSUED_BY, PART_OF, LED_BY, SUPPORTED_BY, LOCATED_IN, CARRIES_OUT,
              COUNTERPART_OF)

RELATION_TO_EDGE = {"implements": IMPLEMENTS, "based_on": BASED_ON, "amends": AMENDS, "cites": CITES}

#: role labels carried by Document nodes in `props["role"]` (conventions: directive → plan)
DIRECTIVE, PLAN = "Directive", "Plan"

NATIONAL = "national"
_SPACES = re.compile(r"\s+")
_LEADING_ZEROS = re.compile(r"^0+(?=\d)")


def clean_name(text: str) -> str:
    """NFC, single spaces, no surrounding blanks or trailing punctuation: the form used in keys."""
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()
    return text.rstrip(" .,;:")


def id_key_part(doc_id: str) -> str:
    """The id as it appears in a key: numbers compare as integers, so `02-KH/…` ≡ `2-KH/…`;
    a symbol loses its blanks (`57- NQ/TW`), a name without a symbol keeps them (`Đề án 06`)."""
    text = clean_name(doc_id)
    if "/" in text:
        text = text.replace(" ", "")
    return _LEADING_ZEROS.sub("", text)


def document_key(doc_id: str, jurisdiction: str | None, year: str | int | None = None) -> str:
    """`doc:{id}@{jurisdiction}[#year]`; the year only separates two documents with one id."""
    key = f"doc:{id_key_part(doc_id)}@{clean_name(jurisdiction or NATIONAL)}"
    return f"{key}#{year}" if year else key


def file_document_key(file_name: str) -> str:
    """Key of a document whose own id could not be read."""
    return f"doc:file:{file_name}"


def task_key(doc_key: str, section: str | None, number: str | None) -> str:
    return f"task:{doc_key}#{clean_name(section or '')}.{clean_name(number or '')}"


def agency_key(name: str, jurisdiction: str | None) -> str:
    return f"agency:{clean_name(name)}@{clean_name(jurisdiction or NATIONAL)}"


def place_key(level: str, name: str, parent: str | None = None) -> str:
    """`place:province:Quảng Ngãi`, `place:commune:Ngọk Bay@Quảng Ngãi`."""
    key = f"place:{level}:{clean_name(name)}"
    return f"{key}@{clean_name(parent)}" if parent else key


@dataclass(frozen=True)
class Evidence:
    """Where a statement was read: input file, 1-based line, raw OCR text."""

    file: str
    line: int
    raw: str

    def as_dict(self) -> dict[str, Any]:
        return {"file": self.file, "line": self.line, "raw": self.raw}


@dataclass
class Node:
    key: str
    kind: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass
class Edge:
    """A typed relationship; `props` holds at least `confidence` and `evidence` (list of dicts)."""

    src: str
    dst: str
    type: str
    props: dict[str, Any] = field(default_factory=dict)


@dataclass
class Contribution:
    """Everything one ingested file says: its nodes and edges. Writing a contribution replaces
    the earlier contribution of the same file, so re-ingesting a file changes nothing."""

    source_file: str
    nodes: list[Node] = field(default_factory=list)
    edges: list[Edge] = field(default_factory=list)


@dataclass
class Path:
    """A lineage path: the edges walked in order, from the start node."""

    edges: list[Edge]

    @property
    def nodes(self) -> list[str]:
        if not self.edges:
            return []
        return [self.edges[0].src, *(e.dst for e in self.edges)]
