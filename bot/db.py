"""Database: tortoise configuration, start-up and migrations."""
from __future__ import annotations

import os
from pathlib import Path

from tortoise import Tortoise

from bot.config import ROOT, load_settings


def tortoise_config(url: str) -> dict:
    if url.startswith("sqlite://") and not url.startswith("sqlite://:memory:"):
        path = Path(url.removeprefix("sqlite://"))
        path = path if path.is_absolute() else ROOT / path
        path.parent.mkdir(parents=True, exist_ok=True)
        url = f"sqlite://{path}"
    return {
        "connections": {"default": url},
        "apps": {"models": {"models": ["models"], "migrations": "migrations",
                            "default_connection": "default"}},
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
