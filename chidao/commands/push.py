"""`chidao push --neo4j URI`: copy the embedded store (--data / CHIDAO_DATA) into Neo4j.

Every stored file's contribution is written as it is, so Neo4j then holds the same graph (stubs,
evidence, the alignment) and answers every command the same; pushing again changes nothing.
User and password come from --user/--password, the URI (bolt://user:pw@host), NEO4J_USER /
NEO4J_PASSWORD or CHIDAO_NEO4J_USER / CHIDAO_NEO4J_PASSWORD."""

from __future__ import annotations

import argparse
import os
import time

from chidao import settings
from chidao.common import CommandError, run
from graph.embedded import EmbeddedStore, StoreError
from graph.open import StoreUnavailable


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("push", help="copy the embedded store into a Neo4j server",
                                   description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--neo4j", required=True, metavar="URI", help="bolt://… or neo4j://… server")
    parser.add_argument("--user", help="Neo4j user (default NEO4J_USER, else neo4j)")
    parser.add_argument("--password", help="Neo4j password (default NEO4J_PASSWORD)")
    parser.add_argument("--database", help="Neo4j database (default the server's default)")
    parser.set_defaults(func=run(push_command))


def push_command(args: argparse.Namespace) -> int:
    source = _embedded(args)
    files = source.source_files()
    if not files:
        raise CommandError(f"the embedded store at {settings.data_dir(args.data)} is empty: "
                           "run `chidao ingest` first")
    target = _neo4j(args)
    try:
        started = time.perf_counter()
        target.write(source.contribution(name) for name in files)
        seconds = time.perf_counter() - started
    finally:
        target.close()
    print(f"pushed {len(files)} files to {args.neo4j} in {seconds:.1f} s")
    return 0


def _embedded(args: argparse.Namespace) -> EmbeddedStore:
    try:
        return EmbeddedStore(settings.data_dir(args.data))
    except StoreError as exc:
        raise CommandError(str(exc), code=2) from exc


def _neo4j(args: argparse.Namespace):
    try:
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore(args.neo4j, args.user or os.environ.get("NEO4J_USER"),
                          args.password or os.environ.get("NEO4J_PASSWORD"), args.database)
    except (ImportError, StoreUnavailable) as exc:
        raise CommandError(str(exc), code=2) from exc
