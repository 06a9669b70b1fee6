"""``lindra serve``: the HTTP API and the Swedish web page, run by uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from lindra.interfaces.cli_common import DbOption, errors, out, settings_for
from lindra.store.open import open_store

__all__ = ["register", "serve_cli"]

APP_FACTORY = "lindra.interfaces.api:create_app_from_env"
# On SIGTERM, requests still running after this many seconds are cancelled (an
# upload stops before its next document), so the server is gone within seconds.
SHUTDOWN_SECONDS = 5


def serve_cli(
    db: DbOption = None,
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")
    ] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Serve the API (/api, docs at /docs) and the web page (/) over a knowledge base.

    Example: lindra serve --db demo.sqlite --port 8000

    Write endpoints (upload, delete) are enabled by setting LINDRA_API_TOKEN.
    Requests (questions, query strings, client addresses) are not logged unless
    LINDRA_LOG_QUERIES=true: health questions are sensitive personal data.
    """
    import uvicorn

    from lindra.interfaces.api import create_app

    with errors():
        settings = settings_for(db)
        # Fail now, with the CLI's message, rather than on the first request.
        open_store(settings.db).close()
    shown = f"[{host}]" if ":" in host else host
    out.print(f"lindra serving {settings.db} at http://{shown}:{port}/ (API docs: /docs)")
    if not settings.api_token:
        out.print("Write endpoints are off; set LINDRA_API_TOKEN to enable uploads.")
    if workers == 1:
        uvicorn.run(
            create_app(settings, warm=True),
            host=host,
            port=port,
            log_level="info",
            access_log=settings.log_queries,
            timeout_graceful_shutdown=SHUTDOWN_SECONDS,
        )
        return
    # Each worker process builds its own app (and engine) from the environment;
    # --db is the one option that is not already there.
    os.environ["LINDRA_DB"] = settings.db
    uvicorn.run(
        APP_FACTORY,
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=settings.log_queries,
        timeout_graceful_shutdown=SHUTDOWN_SECONDS,
    )


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the ``lindra`` command."""
    app.command("serve")(serve_cli)
