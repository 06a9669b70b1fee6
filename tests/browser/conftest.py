"""A real ``lindra serve`` over a temporary demo base, and Debian's Chromium driven by Playwright.

Playwright's own browser download cannot work here, so the tests use
``/usr/bin/chromium``; ``scripts/setup-chromium.sh`` installs it when missing.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from lindra import Engine, Settings
from lindra.interfaces.render import demo_files

ROOT = Path(__file__).resolve().parents[2]
SETUP_CHROMIUM = ROOT / "scripts" / "setup-chromium.sh"
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
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
API_TOKEN = "browser-test-token"
PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1280, "height": 900}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"'lindra serve' exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"'lindra serve' did not answer {url} within {timeout:.0f} s")


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's Chromium, installed by scripts/setup-chromium.sh when missing."""
    if not CHROMIUM.exists():
        if shutil.which("apt-get") is None:
            pytest.skip("Chromium is missing and cannot be installed here (no apt-get)")
        result = subprocess.run(
            ["bash", str(SETUP_CHROMIUM)], capture_output=True, text=True, timeout=900
        )
        if result.returncode != 0 or not CHROMIUM.exists():
            pytest.skip(
                "Chromium could not be installed by scripts/setup-chromium.sh: "
                + (result.stderr or result.stdout).strip()[-500:]
            )
    return CHROMIUM


# The demo's PubMedQA-sv file has 1,000 abstracts; a slice keeps set-up short.
ABSTRACTS = 150


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The bundled demo data (sample pages, SweFAQ, a slice of PubMedQA-sv) in a temp base."""
    folder = tmp_path_factory.mktemp("browser")
    files = []
    for path in demo_files():
        if path.name.startswith("pubmedqa"):
            lines = path.read_text("utf-8").splitlines(keepends=True)[:ABSTRACTS]
            path = folder / path.name
            path.write_text("".join(lines), encoding="utf-8")
        files.append(path)
    db = folder / "demo.sqlite"
    with Engine.from_settings(Settings(db=str(db)), create=True) as engine:
        outcomes = list(engine.ingest_paths(files))
    assert sum(o.status == "added" for o in outcomes) > 200
    return str(db)


@pytest.fixture(scope="session")
def server(demo_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``lindra serve`` in a subprocess on a free loopback port; yields its base URL."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {
        **os.environ,
        "LINDRA_API_TOKEN": API_TOKEN,
        "LINDRA_LOG_LEVEL": "WARNING",
    }
    env.pop("LINDRA_CONFIG", None)
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "lindra", "serve", "--db", demo_db, "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/healthz", process)
    except RuntimeError as exc:
        process.kill()
        raise RuntimeError(f"{exc}\n{log.read_text(errors='replace')}") from exc
    yield base
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Any]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
    )
    with sync_api.sync_playwright() as playwright:
        # launch() gives every run a new, empty temporary profile (user-data-dir).
        chromium = playwright.chromium.launch(
            executable_path=str(chromium_path), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A phone-sized page in a fresh context; records dialogs and console errors."""
    context = browser.new_context(viewport=PHONE, locale="sv-SE")
    page = context.new_page()
    page.dialogs = []  # type: ignore[attr-defined]
    page.console_errors = []  # type: ignore[attr-defined]

    def on_dialog(dialog: Any) -> None:
        page.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    page.on(
        "console",
        lambda message: (
            page.console_errors.append(message.text) if message.type == "error" else None
        ),
    )
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
