"""Database: tortoise configuration, start-up and migrations."""

from __future__ import annotations

import os
import pkgutil
from functools import cache
from pathlib import Path

from tortoise import Tortoise
from tortoise.backends.base.config_generator import expand_db_url

from bot.config import ROOT, load_settings

# SQLite pragmas set on connect (tortoise already sets journal_mode=WAL): in WAL mode NORMAL only
# syncs at checkpoints, so a commit is no longer an fsync; a crash of the process loses nothing,
# a power cut may lose the last commits but never corrupts the file.
SQLITE_PRAGMAS = {"synchronous": "NORMAL"}
MIGRATIONS = "migrations"  # the package of the committed migrations, beside bot/


@cache
def pooled_connection() -> type:
    """A PostgreSQL connection that goes back to tortoise's pool without a reset round trip.

    asyncpg resets a connection it takes back (`SELECT pg_advisory_unlock_all(); CLOSE ALL;
    UNLISTEN *; RESET ALL;`), and tortoise takes one from the pool for every query: a second round
    trip, and as much work for the server, per query. The desk leaves nothing of that behind (no
    advisory locks, cursors, LISTEN or SET), and asyncpg still rolls back a transaction left open.
    (asyncpg is imported only for a PostgreSQL desk.)"""
    import asyncpg

    class PooledConnection(asyncpg.Connection):
        def get_reset_query(self) -> str:
            return ""

    return PooledConnection


def tortoise_config(url: str) -> dict:
    connection: str | dict = url
    if url.startswith(("postgres://", "asyncpg://")):
        connection = expand_db_url(url)
        connection["credentials"]["connection_class"] = pooled_connection()
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
        "apps": {"models": {"models": ["models"], "migrations": MIGRATIONS, "default_connection": "default"}},
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
    not, goes through the migrations as usual; one that has recorded every migration there is (a
    restart) is left alone without loading them."""
    config = tortoise_config(url)
    state = await _prepare(config, new_in_one_step=new_in_one_step)
    if state == "current":
        return
    from tortoise.migrations.api.migrate import migrate as run_migrations

    await run_migrations(config=config, fake=state == "created")
    await Tortoise.close_connections()


def migration_names() -> set[str]:
    """The migrations tortoise finds (the modules of the migrations package, less `_` and `~` ones)."""
    found = pkgutil.iter_modules([str(ROOT / MIGRATIONS)])
    return {name for _, name, is_pkg in found if not is_pkg and name[0] not in "_~"}


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


async def _prepare(config: dict, *, new_in_one_step: bool) -> str:
    """What the database needs: nothing ("current": every migration recorded as applied), the
    migrations recorded ("created": it had no table and now has the models' schema; SQLite or
    PostgreSQL, new_in_one_step), or the migrations applied ("migrate")."""
    await Tortoise.init(config=config)
    try:
        connection = Tortoise.get_connection("default")
        if connection.capabilities.dialect not in ("sqlite", "postgres"):
            return "migrate"
        found = await tables(connection)
        if not found and new_in_one_step:
            await Tortoise.generate_schemas(safe=False)
            return "created"
        if "tortoise_migrations" not in found:
            return "migrate"
        _, rows = await connection.execute_query("SELECT app, name FROM tortoise_migrations")
        recorded = {row["name"] for row in rows if row["app"] == "models"}
        return "current" if migration_names() <= recorded else "migrate"
    finally:
        await Tortoise.close_connections()


async def connect(url: str) -> None:
    await Tortoise.init(config=tortoise_config(url))


async def close() -> None:
    await Tortoise.close_connections()
