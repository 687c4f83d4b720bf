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


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite database URL (relative to the project), None for another database."""
    if not url.startswith("sqlite://") or url.startswith("sqlite://:memory:"):
        return None
    path = Path(url.removeprefix("sqlite://").partition("?")[0])
    return path if path.is_absolute() else ROOT / path


def tortoise_config(url: str) -> dict:
    connection: str | dict = url
    if url.startswith(("postgres://", "asyncpg://")):
        connection = expand_db_url(url)
        connection["credentials"]["connection_class"] = PooledConnection
    if path := sqlite_file(url):
        query = url.partition("?")[2]
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


async def migrate(url: str, *, new_in_one_step: bool = True) -> None:
    """Apply the committed migrations.

    A new database (no tables at all) gets the schema the migrations end with in one step, from the
    models, and every migration recorded as applied (tortoise's `fake`): replaying them one by one
    rebuilds tortoise's picture of every model before each step, most of a first start's second,
    and on empty tables their data steps have nothing to do. tests/test_migrations.py checks that
    both ways give the same tables, columns, defaults, indexes, constraints and rows, on SQLite and
    PostgreSQL, and that the migrations match the models. A database with any table, the desk's or
    not, goes through the migrations as usual."""
    from tortoise.migrations.api.migrate import migrate as run_migrations

    config = tortoise_config(url)
    path = sqlite_file(url)
    maybe_new = not (path and path.exists() and path.stat().st_size)  # a SQLite file that holds anything is not new
    if new_in_one_step and maybe_new and await _create_if_new(config):
        await run_migrations(config=config, fake=True)
    else:
        await run_migrations(config=config)
    await Tortoise.close_connections()


async def tables(connection) -> list[str]:
    """The tables of the database's own schema (SQLite's own excepted); [] on other databases."""
    dialect = connection.capabilities.dialect
    if dialect == "sqlite":
        sql = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    elif dialect == "postgres":
        sql = "SELECT tablename AS name FROM pg_tables WHERE schemaname = current_schema()"
    else:
        return []
    _, rows = await connection.execute_query(sql)
    return sorted(row["name"] for row in rows)


async def _create_if_new(config: dict) -> bool:
    """On a database without any table (SQLite or PostgreSQL), create the models' schema; whether it did."""
    await Tortoise.init(config=config)
    try:
        connection = Tortoise.get_connection("default")
        if connection.capabilities.dialect not in ("sqlite", "postgres") or await tables(connection):
            return False
        await Tortoise.generate_schemas(safe=False)
        return True
    finally:
        await Tortoise.close_connections()


async def connect(url: str) -> None:
    await Tortoise.init(config=tortoise_config(url))


async def close() -> None:
    await Tortoise.close_connections()
