"""One example request per GET endpoint, shown in the OpenAPI (/docs) and run by the tests
against the sample documents (data/samples), so every documented example works."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

EXAMPLES: dict[str, dict[str, Any]] = {
    "health": {"path": "/health", "params": {}},
    "list_documents": {"path": "/documents", "params": {"role": "plan", "limit": 10}},
    "get_document": {"path": "/documents/57-NQ~TW", "params": {}},
    "list_tasks": {"path": "/tasks", "params": {"document": "667/KH-UBND", "limit": 10}},
    "get_task": {"path": "/tasks/667~KH-UBND%238", "params": {}},
    "task_counterparts": {"path": "/tasks/667~KH-UBND%23II.3/counterparts", "params": {}},
    "list_units": {"path": "/units", "params": {"q": "cong an", "limit": 10}},
    "get_unit": {"path": "/units/Công an xã@Ngọk Bay", "params": {}},
    "list_places": {"path": "/places", "params": {"level": "province"}},
    "get_place": {"path": "/places/place:province:Quảng Ngãi", "params": {}},
    "trace_up": {"path": "/trace/up", "params": {"ref": "667/KH-UBND#8", "cites": "true",
                                                  "directives_only": "true"}},
    "trace_down": {"path": "/trace/down", "params": {"ref": "57-NQ/TW", "limit": 20}},
    "coverage": {"path": "/coverage", "params": {"ref": "07-TB/CQTTBCĐ", "limit": 5}},
    "plan_gaps": {"path": "/gaps", "params": {"ref": "52/KH-BCĐ"}},
    "workload": {"path": "/workload", "params": {"unit": "Công an xã", "as_of": "2026-01-01"}},
    "search": {"path": "/search", "params": {"q": "cong an xa"}},
    "unresolved": {"path": "/unresolved", "params": {"limit": 10}},
    "explain": {"path": "/explain", "params": {"a": "667/KH-UBND", "b": "57-NQ/TW"}},
    "neighbourhood": {"path": "/neighbourhood", "params": {"ref": "667/KH-UBND", "depth": 1}},
    "export_ttl": {"path": "/export.ttl", "params": {}},
    "export_jsonld": {"path": "/export.jsonld", "params": {}},
}


def example_url(name: str) -> str:
    example = EXAMPLES[name]
    query = urlencode(example["params"])
    return f"{example['path']}?{query}" if query else example["path"]


def describe(name: str) -> str:
    return f"Example: `GET {example_url(name)}`"
