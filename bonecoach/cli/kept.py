"""Read commands (``day``, ``week``, ``status``, ``plan-day``) answered from a kept answer while nothing they
read has changed (``storage.kept_answers``); otherwise computed, printed and kept.

The fast path imports no services and no pydantic: it checks the folder, the fingerprint and
prints. A computed answer is kept only when the command succeeded and said nothing on stderr
(a read-only notice, a pending change): those are said again each time.
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Callable
from typing import TextIO

from bonecoach.services import kept_answers


def _db_option(words: list[str]) -> str | None:
    for index, word in enumerate(words):
        if word == "--db":
            return words[index + 1] if index + 1 < len(words) else None
        if word.startswith("--db="):
            return word[len("--db=") :]
    return None


def answer_words(words: list[str]) -> list[str]:
    """The command's words without ``--db PATH`` (the database is the kept file's own key)."""
    kept: list[str] = []
    skip = False
    for word in words:
        if skip:
            skip = False
        elif word == "--db":
            skip = True
        elif not word.startswith("--db="):
            kept.append(word)
    return kept


def kept_answer(words: list[str]) -> str | None:
    """The answer kept for exactly these words (so they parsed before), if it still holds.
    Any doubt (no key, an odd folder) gives None: the command then runs and says what is wrong."""
    from bonecoach.cli import context

    return kept_answers.kept(_db_option(words), answer_words(words), context.CLOCK().date())


class _Tee(io.StringIO):
    """Writes go to ``stream`` as they come, and are kept."""

    def __init__(self, stream: TextIO) -> None:
        super().__init__()
        self.stream = stream

    def write(self, text: str) -> int:
        self.stream.write(text)
        return super().write(text)

    def flush(self) -> None:
        self.stream.flush()


def run_and_keep(
    args: argparse.Namespace, words: list[str], handler: Callable[[argparse.Namespace], int | None]
) -> int:
    """Run ``handler`` and keep its answer for the next identical call (``kept_answer``)."""
    from bonecoach.cli import context

    day = context.CLOCK().date()
    out, err = _Tee(sys.stdout), _Tee(sys.stderr)
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        with kept_answers.recording() as reads:
            status = int(handler(args) or 0)
    finally:
        sys.stdout, sys.stderr = saved
    if status == 0 and not err.getvalue() and context.CLOCK().date() == day:
        kept_answers.keep(args.db, answer_words(words), day, reads, out.getvalue())
    return status
