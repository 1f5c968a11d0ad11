"""The widget's weight: every JavaScript and CSS file a visitor's browser loads for it,
unminified, stays under 60 KB. The files are found the way the browser finds them:
from widget.js, what it loads (asset("...")), and what each module imports."""

from __future__ import annotations

import re
from pathlib import Path

from tests.e2e.live import REPO

STATIC = REPO / "chat" / "static" / "smooth"
BUDGET = 60_000  # bytes
# asset("chat.css") in widget.js; `import … from "./x.js"`, `import "./x.js"`, `import("./x.js")`, `export … from "./x.js"`.
LOADS = re.compile(r'asset\(\s*"([^"]+)"\s*\)|(?:from|import\(?)\s*"\./([^"]+)"')


def loaded_by(name: str) -> set[str]:
    """`name` and everything it loads, recursively."""
    seen: set[str] = set()
    waiting = [name]
    while waiting:
        current = waiting.pop()
        if current in seen:
            continue
        seen.add(current)
        source = (STATIC / current).read_text(encoding="utf-8")
        waiting.extend(asset or module for asset, module in LOADS.findall(source))
    return seen


def test_the_widget_loads_its_modules_and_stylesheet_from_its_own_directory():
    files = loaded_by("widget.js")
    # What the browser fetches today: the scan must find at least these (a scan that found
    # nothing would pass the budget below by accident).
    assert {"widget.js", "ui.js", "client.js", "cards.js", "words.js", "chat.css"} <= files
    assert all((STATIC / name).is_file() for name in files)


def test_the_widgets_javascript_and_css_stay_under_60_kb():
    files = loaded_by("widget.js")
    sizes = {name: (STATIC / name).stat().st_size for name in sorted(files)}
    total = sum(sizes.values())
    assert total < BUDGET, f"{total} bytes > {BUDGET}: {sizes}"


def test_the_scan_follows_every_kind_of_load(tmp_path: Path, monkeypatch):
    (tmp_path / "a.js").write_text('const asset = (n) => n; asset("b.css"); import("./c.js");')
    (tmp_path / "b.css").write_text("p {}")
    (tmp_path / "c.js").write_text('import { x } from "./d.js";\nexport { y } from "./e.js";')
    (tmp_path / "d.js").write_text("export const x = 1;")
    (tmp_path / "e.js").write_text('import "./f.js";')
    (tmp_path / "f.js").write_text("")
    monkeypatch.setitem(globals(), "STATIC", tmp_path)
    assert loaded_by("a.js") == {"a.js", "b.css", "c.js", "d.js", "e.js", "f.js"}
