"""Text for the terminal at its width (80 columns when output goes to a pipe or a file, as
rich does): long sentences wrapped at word boundaries, wide tables wrapped into blocks of whole
columns. ``COLUMNS`` sets the width, as for every command-line tool."""

from __future__ import annotations

import shutil
import textwrap

NARROWEST = 40  # below this a table of a few numbers no longer fits: wrap as if this wide


def width() -> int:
    """The terminal's columns (``COLUMNS`` if set), 80 off a terminal."""
    return max(NARROWEST, shutil.get_terminal_size((80, 24)).columns)


def fill(text: str, indent: int = 0) -> str:
    """``text`` wrapped to the terminal's width, whole words (and hyphenated names) kept."""
    return textwrap.fill(text, width=width(), subsequent_indent=" " * indent, break_on_hyphens=False,
                         break_long_words=False)


def frame_text(frame, index: bool = False) -> str:
    """A DataFrame as text no wider than the terminal: columns that do not fit go to a next
    block (pandas marks a continued row with a backslash)."""
    return frame.to_string(index=index, line_width=width())
