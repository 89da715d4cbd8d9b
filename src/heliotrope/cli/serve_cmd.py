"""``heliotrope serve``: the web app (pages, REST API, CDS Hooks) on http://127.0.0.1:8000."""

from __future__ import annotations

import os
from pathlib import Path

import typer

from heliotrope.cli.common import err_console, handle_errors
from heliotrope.web.settings import DEFAULT_HOST, DEFAULT_PORT, MAX_UPLOAD_BYTES

__all__ = ["register"]


def register(app: typer.Typer) -> None:
    """Add the ``serve`` command to ``app``."""

    @app.command("serve")
    @handle_errors
    def serve_command(
        host: str = typer.Option(
            DEFAULT_HOST, "--host", help="Address to bind (default: this computer only)."
        ),
        port: int = typer.Option(DEFAULT_PORT, "--port", min=0, max=65535, help="TCP port."),
        db: Path | None = typer.Option(
            None, "--db", help="History database for stored patients (default: heliotrope db's)."
        ),
        max_upload_mb: int = typer.Option(
            MAX_UPLOAD_BYTES // (1024 * 1024), "--max-upload-mb", min=1, help="Upload limit."
        ),
        workers: int = typer.Option(
            1, "--workers", min=1, max=64, help="Worker processes (one per core for load)."
        ),
    ) -> None:
        """Serve the calculator, case report, timeline, REST API and CDS Hooks."""
        import uvicorn

        from heliotrope.web.app import create_app
        from heliotrope.web.settings import Settings

        if host not in ("127.0.0.1", "localhost", "::1"):
            err_console.print(
                f"[yellow]warning[/] binding to {host}: the app has no authentication; "
                "anyone who can reach this address can use it."
            )
        settings = Settings(max_upload_bytes=max_upload_mb * 1024 * 1024, db_path=db)
        err_console.print(f"heliotrope serving on http://{host}:{port}  (Ctrl-C to stop)")
        if workers == 1:
            uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")
            return
        os.environ.update(settings.to_env())  # each worker builds its app from these
        uvicorn.run(
            "heliotrope.web.app:create_app_from_env",
            factory=True,
            host=host,
            port=port,
            workers=workers,
            log_level="warning",
        )
