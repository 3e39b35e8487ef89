"""Helpers for tests of the server: a small real dataset, a live uvicorn server on a free
loopback port in a thread, and Debian's Chromium for Playwright.

Under CI (``CI=true``) a missing Chromium fails browser tests instead of skipping them
(``scripts/ci_browser.sh`` installs it).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path
from typing import Any

SEED = Path(__file__).resolve().parents[3] / "tests" / "data" / "seed.nl.txt"

# A second report, three weeks earlier, so that the timeline has two dates to choose from.
SARAQIB = (
    "BEIRUT (Reuters) - Russian air strikes killed 12 civilians in the town of Saraqib in "
    "Idlib province on Monday, the Syrian Observatory for Human Rights said."
)

# An article an attacker wrote: markup in the text, the outlet's name and the title.
XSS_TEXT = (
    '<img src=x onerror="window.__xss=1;alert(1)"> Bij een luchtaanval op Saraqib zijn dinsdag '
    "<script>window.__xss=2;alert(2)</script> zeker dertig burgers om het leven gekomen, "
    "meldt het Syrisch Observatorium voor de Mensenrechten.\n\n"
    "Een woordvoerder zei dat <svg onload=alert(3)> de aanval <b>onaanvaardbaar</b> was."
)
XSS_SOURCE = '<img src=x onerror="window.__xss=3">Evil News'
XSS_TITLE = "<script>window.__xss=4</script>Title"
XSS_URL = 'https://evil.example/a?q="><script>window.__xss=5</script>'


CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def seed_dataset(path: str | Path, *, seed_text: str | None = None) -> str:
    """A dataset with the seed article (published 2018-06-28) and a Reuters report of an
    airstrike on Saraqib (2018-06-05), extracted and merged through the Dataset API."""
    from sitrep.dataset import Dataset

    text = seed_text if seed_text is not None else SEED.read_text("utf-8")
    with Dataset(path) as ds:
        ds.add_text(
            text,
            published="2018-06-28",
            source_name="NOS",
            url="https://nos.nl/artikel/2238712",
            title="Russische bombardementen in Syrië",
            merge=False,
        )
        ds.add_text(SARAQIB, published="2018-06-05", source_name="Reuters", lang="en", merge=False)
        ds.merge()
    return str(path)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class LiveServer:
    """uvicorn serving ``app`` on 127.0.0.1 and a free port, in a thread, until closed."""

    def __init__(self, app: Any) -> None:
        import uvicorn

        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.port = int(self.sock.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(
            target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True
        )

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if not self.thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test server did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)
        self.sock.close()


def chromium_path() -> str | None:
    """Debian's Chromium (``apt-get install chromium``), or $SITREP_CHROMIUM."""
    for candidate in (os.environ.get("SITREP_CHROMIUM"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("chromium")
    return found


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")
