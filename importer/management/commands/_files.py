"""Shared by the import commands: expand paths to files, and report progress on a terminal."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from django.core.management import CommandError


def expand(paths: Iterable[str], suffixes: set[str]) -> list[Path]:
    """Files named directly, plus files with a wanted suffix found (recursively, sorted) in named folders."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in suffixes)
        elif path.is_file():
            found.append(path)
        else:
            raise CommandError(f"{raw}: no such file or folder")
    return found


def progress(items: list[Path], stream) -> Iterator[tuple[int, Path]]:
    """Yield (index, item), drawing a one-line progress bar on stderr when it is a terminal."""
    tty = hasattr(stream, "isatty") and stream.isatty()
    total = len(items)
    for index, item in enumerate(items, 1):
        if tty:
            done = int(30 * index / max(total, 1))
            stream.write(f"\r[{'#' * done}{'.' * (30 - done)}] {index}/{total} {item.name[:40]:<40}")
            stream.flush()
        yield index, item
    if tty and total:
        stream.write("\n")
