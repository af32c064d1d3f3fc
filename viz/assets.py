"""The browser assets a page needs, all shipped with the installed packages so pages work offline.

vis-network comes from pyvis's own bundled copy (its `lib/vis-9.1.2/` folder); the page script,
style sheet and template are ours, under viz/static/. No page ever loads anything from a CDN.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pyvis

_END_TAG = re.compile(r"</(?=script|style)", re.IGNORECASE)

STATIC_DIR = Path(__file__).with_name("static")
VIS_VERSION = "9.1.2"
VIS_DIR = Path(pyvis.__file__).parent / "lib" / f"vis-{VIS_VERSION}"
TEMPLATE = STATIC_DIR / "page.html"


@dataclass(frozen=True)
class Asset:
    """A file served under /graph/static/{name} and inlined into self-contained pages."""

    name: str
    path: Path
    media_type: str


ASSETS: dict[str, Asset] = {
    asset.name: asset
    for asset in (
        Asset("vis-network.min.js", VIS_DIR / "vis-network.min.js", "text/javascript"),
        Asset("vis-network.css", VIS_DIR / "vis-network.css", "text/css"),
        Asset("chidao-graph.js", STATIC_DIR / "chidao-graph.js", "text/javascript"),
        Asset("chidao-graph.css", STATIC_DIR / "chidao-graph.css", "text/css"),
    )
}
SCRIPTS = ("vis-network.min.js", "chidao-graph.js")
STYLES = ("vis-network.css", "chidao-graph.css")


class MissingAsset(FileNotFoundError):
    """An asset file is absent from the installation (e.g. a pyvis without its bundled lib/)."""


def asset_path(name: str) -> Path:
    asset = ASSETS.get(name)
    if asset is None:
        raise MissingAsset(f"unknown asset '{name}'")
    if not asset.path.is_file():
        raise MissingAsset(f"{asset.path}: asset file missing from the installation")
    return asset.path


@cache
def inline_text(name: str) -> str:
    """An asset's text made safe to sit inside a <script> or <style> element of a page.

    Two rewrites inside string literals and comments, neither changing what the code does:
    `</script` becomes `<\\/script` so no string ends the element early, and in scripts `://`
    becomes `:\\/\\/` so the licence and namespace URLs inside the library (never fetched) do not
    read as links to other hosts. (`://` cannot occur raw inside a JavaScript regex literal.)
    """
    text = _END_TAG.sub(lambda _: "<\\/", asset_path(name).read_text(encoding="utf-8"))
    return text.replace("://", ":\\/\\/") if name.endswith(".js") else text
