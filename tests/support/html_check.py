"""The Nu HTML Checker (npm ``vnu-jar``, the W3C validator) run over many pages at once with the machine's Java."""

import json
import subprocess
from pathlib import Path

from tests.support.services import ROOT
from tests.support.walk import Page

VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def html_errors(pages: list[Page], folder: Path) -> list[str]:
    """Every error the checker finds in the pages, as 'path line:column message'."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {}
    for number, page in enumerate(pages):
        file = folder / f"page-{number}.html"
        file.write_bytes(page.body)
        files[file.name] = page.path
    result = subprocess.run(
        [
            "java",
            "-Xss8m",
            "-jar",
            str(VNU),
            "--errors-only",
            "--format",
            "json",
            *map(str, sorted(folder.glob("*.html"))),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    report = json.loads(result.stderr or result.stdout or '{"messages": []}')
    return [
        f"{files.get(m.get('url', '').rsplit('/', 1)[-1], m.get('url'))} {m.get('lastLine')}:{m.get('firstColumn')} {m['message']}"
        for m in report["messages"]
        if m["type"] == "error" or m.get("subType") == "fatal"
    ]
