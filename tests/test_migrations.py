"""The committed migrations build the schema on SQLite and PostgreSQL, and match the models."""

from tortoise import Tortoise
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from bot.db import migrate, tortoise_config
from models import Citizen, Request


async def test_migrations_apply_and_match_models(db_url):
    if db_url.startswith("postgres"):
        await Tortoise.init(config=tortoise_config(db_url))
        await Tortoise.get_connection("default").execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await Tortoise.close_connections()
    await migrate(db_url)
    await migrate(db_url)  # applying twice is a no-op
    config = tortoise_config(db_url)
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        citizen = await Citizen.create(platform="telegram", user_id=1)
        assert await Citizen.filter(platform="telegram", user_id=1).count() == 1
        assert await Request.filter(citizen=citizen).count() == 0
        writers = await MigrationAutodetector(ctx.apps, {"models": config["apps"]["models"]}).changes()
        assert not writers, "models changed without a migration: run `tortoise makemigrations`"
