"""The test-server launcher (scripts/neo4j_server.py) and the CI rule of tests/conftest.py: the
server listens on loopback only, a missing prerequisite becomes a skip reason, and under CI that
skip fails the run."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NEO4J_TEST = "tests/test_neo4j_store.py::test_server_is_neo4j_5_community"


@pytest.fixture(scope="module")
def launcher():
    spec = importlib.util.spec_from_file_location("neo4j_server", ROOT / "scripts" / "neo4j_server.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["neo4j_server"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def settings_of(conf: Path) -> dict[str, str]:
    lines = (conf / "neo4j.conf").read_text().splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_config_listens_on_loopback_only_with_http_off(launcher, tmp_path):
    settings = settings_of(launcher.write_config(tmp_path, 17687, 17688))
    assert settings["server.bolt.listen_address"] == "127.0.0.1:17687"
    assert settings["server.default_listen_address"] == "127.0.0.1"
    assert settings["server.http.enabled"] == settings["server.https.enabled"] == "false"
    assert all(settings[k].startswith(str(tmp_path)) for k in settings if k.startswith("server.directories."))


def test_failure_reason_is_one_line(launcher):
    log = ("Neo4j exited with code 1 while starting:\nException in thread \"main\" "
           "java.lang.IllegalArgumentException: Unrecognized setting\n\tat org.neo4j.Config")
    assert launcher.one_line(log) == ("Neo4j exited with code 1 while starting: Exception in thread "
                                      "\"main\" java.lang.IllegalArgumentException: Unrecognized setting")


def env_without_maven(tmp_path: Path) -> dict[str, str]:
    """PATH with java but no mvn, an empty cache, no server variables."""
    java = shutil.which("java")
    if java is None:
        pytest.skip("no java on PATH")
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "java").symlink_to(java)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIDAO_TEST_NEO4J")}
    env.update(PATH=str(bin_dir), CHIDAO_NEO4J_CACHE=str(tmp_path / "cache"))
    return env


def test_missing_maven_runs_the_command_with_the_reason(tmp_path):
    probe = "import os; print(os.environ.get('CHIDAO_TEST_NEO4J_SKIP'))"
    command = [sys.executable, "scripts/neo4j_server.py", "run", "--", sys.executable, "-c", probe]
    done = subprocess.run(command, cwd=ROOT, env=env_without_maven(tmp_path), capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "`mvn` is missing" in done.stdout
    assert "no Neo4j server for the tests" in done.stderr


@pytest.mark.parametrize(("ci", "code", "said"), [
    ("", 0, "SKIPPED"),
    ("true", 1, "Neo4j test skipped under CI, which counts as a failure"),
])
def test_a_skipped_neo4j_test_fails_only_under_ci(tmp_path, ci, code, said):
    env = {k: v for k, v in os.environ.items() if not k.startswith("CHIDAO_TEST_NEO4J")}
    env["CI"] = ci
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", NEO4J_TEST],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == code, done.stdout[-2000:]
    assert said in done.stdout


@pytest.mark.parametrize(("heap", "pagecache", "ok"), [
    ("2g", "1500m", True),
    ("512m", "128m", True),
    ("2 g", "1g", False),
    ("2g", "-1g", False),
])
def test_memory_sizes_reach_the_config(launcher, tmp_path, monkeypatch, heap, pagecache, ok):
    monkeypatch.setattr(launcher, "HEAP", launcher.HEAP)
    monkeypatch.setattr(launcher, "PAGECACHE", launcher.PAGECACHE)
    if not ok:
        with pytest.raises(SystemExit, match="not a size"):
            launcher.set_memory(heap, pagecache)
        return
    launcher.set_memory(heap, pagecache)
    settings = settings_of(launcher.write_config(tmp_path, 17687, 17688))
    assert settings["server.memory.heap.max_size"] == heap
    assert settings["server.memory.pagecache.size"] == pagecache
