"""Compile a fixed Typst layout with data passed as JSON, reusing one compiler per layout.

Letters and printed reports share this: the layout (a ``.typ`` file in the code) reads
``sys.inputs.data`` as JSON, so no text from the database is ever evaluated as Typst markup.
The compiler keeps fonts and the parsed layout between compiles; a lock serialises compiles
because one compiler is not safe to use from two threads at once.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import typst

SYSTEM_FONT_DIRS = [p for p in ("/usr/share/fonts",) if Path(p).is_dir()]


class Layout:
    """One ``.typ`` layout, compiled on demand with a JSON payload as ``sys.inputs.data``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._compiler = typst.Compiler(
            str(path), root="/", font_paths=SYSTEM_FONT_DIRS, sys_inputs={"data": "{}"}
        )
        self._lock = threading.Lock()

    @staticmethod
    def inputs(payload: Any) -> dict[str, str]:
        return {"data": json.dumps(payload, ensure_ascii=False)}

    def pdf(self, payload: Any) -> bytes:
        with self._lock:
            out = self._compiler.compile(
                format="pdf", sys_inputs=self.inputs(payload), pdf_tags=False
            )
        assert isinstance(out, bytes)
        return out

    def png(self, payload: Any, ppi: float = 110) -> list[bytes]:
        """One PNG per page (previews and visual tests)."""
        with self._lock:
            out = self._compiler.compile(format="png", ppi=ppi, sys_inputs=self.inputs(payload))
        return out if isinstance(out, list) else [out]  # type: ignore[list-item]


_layouts: dict[Path, Layout] = {}
_layouts_lock = threading.Lock()


def layout(path: Path) -> Layout:
    """The process-wide compiler of ``path``."""
    with _layouts_lock:
        if path not in _layouts:
            _layouts[path] = Layout(path)
        return _layouts[path]
