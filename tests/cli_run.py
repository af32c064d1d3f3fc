"""Running the `chidao` command line in-process, for the CLI tests."""

from __future__ import annotations

from pathlib import Path

from chidao.cli import main


def run_chidao(capsys, *argv: str) -> tuple[int, str, str]:
    """Exit code, stdout and stderr of this one call (output printed before it is dropped)."""
    capsys.readouterr()
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def run_chidao_on(capsys, data: Path, *args: str) -> tuple[int, str, str]:
    """`run_chidao` on the embedded store in `data`."""
    return run_chidao(capsys, "--data", str(data), *args)
