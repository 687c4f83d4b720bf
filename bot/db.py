"""Database: tortoise configuration, start-up and migrations."""

from __future__ import annotations

import os
from pathlib import Path

import asyncpg
from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url

from bot.config import ROOT, load_settings

# SQLite pragmas set on connect (tortoise already sets journal_mode=WAL): in WAL mode NORMAL only
# syncs at checkpoints, so a commit is no longer an fsync; a crash of the process loses nothing,
# a power cut may lose the last commits but never corrupts the file.
SQLITE_PRAGMAS = {"synchronous": "NORMAL"}


class PooledConnection(asyncpg.Connection):
    """A PostgreSQL connection that goes back to tortoise's pool without a reset round trip.

    asyncpg resets a connection it takes back (`SELECT pg_advisory_unlock_all(); CLOSE ALL;
    UNLISTEN *; RESET ALL;`), and tortoise takes one from the pool for every query: a second round
    trip, and as much work for the server, per query. The desk leaves nothing of that behind (no
    advisory locks, cursors, LISTEN or SET), and asyncpg still rolls back a transaction left open."""

    def get_reset_query(self) -> str:
        return ""


def tortoise_config(url: str) -> dict:
    connection: str | dict = url
    if url.startswith(("postgres://", "asyncpg://")):
        connection = expand_db_url(url)
        connection["credentials"]["connection_class"] = PooledConnection
    if url.startswith("sqlite://") and not url.startswith("sqlite://:memory:"):
        location, _, query = url.removeprefix("sqlite://").partition("?")
        path = Path(location)
        path = path if path.is_absolute() else ROOT / path
        path.parent.mkdir(parents=True, exist_ok=True)
        pragmas = [f"{k}={v}" for k, v in SQLITE_PRAGMAS.items() if f"{k}=" not in query]  # the URL's win
        query = "&".join(filter(None, [query, *pragmas]))
        connection = f"sqlite://{path}?{query}" if query else f"sqlite://{path}"
    return {
        "connections": {"default": connection},
        "apps": {"models": {"models": ["models"], "migrations": "migrations", "default_connection": "default"}},
        "use_tz": True,
        "timezone": "UTC",
    }


def _cli_config() -> dict:
    return tortoise_config(os.environ.get("DATABASE_URL") or load_settings().database.url)


# Used by the `tortoise` command line (pyproject.toml [tool.tortoise]).
TORTOISE_ORM = _cli_config()


async def migrate(url: str) -> None:
    """Apply the committed migrations (never generate_schemas outside tests)."""
    from tortoise.migrations.api.migrate import migrate as run_migrations

    await run_migrations(config=tortoise_config(url))
    await Tortoise.close_connections()


async def connect(url: str) -> None:
    await Tortoise.init(config=tortoise_config(url))


async def close() -> None:
    await Tortoise.close_connections()
