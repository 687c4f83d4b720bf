"""The committed migrations build the schema on SQLite and PostgreSQL, and match the models."""

from tortoise import Tortoise
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from bot.db import migrate, tortoise_config
from models import Citizen, Request, UnitGroup


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


async def test_a_database_with_rows_upgrades_through_every_migration(db_url):
    """A desk in use upgrades: each migration applies to tables that already hold rows (a column
    added NOT NULL needs a database default, or SQLite and PostgreSQL refuse it)."""
    from tortoise.migrations.api.migrate import migrate as run_migrations

    config = tortoise_config(db_url)
    if db_url.startswith("postgres"):
        await Tortoise.init(config=config)
        await Tortoise.get_connection("default").execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await Tortoise.close_connections()
    await run_migrations(config=config, target="models.0001_initial")
    await Tortoise.init(config=config)
    rows = [
        "INSERT INTO citizen (created_at, updated_at, platform, user_id, first_name, mobile_verified)"
        " VALUES ('2025-01-01', '2025-01-01', 'telegram', 1, '', false)",
        "INSERT INTO unit_group (created_at, updated_at, unit_code, platform, chat_id, title, forum)"
        " VALUES ('2025-01-01', '2025-01-01', 'u', 'telegram', -1, '', false)",
        "INSERT INTO request (created_at, updated_at, tracking_code, citizen_id, submit_token, service_code,"
        " service_version, card, agency_code, unit_code, unit_place, status, answers, submitted_at, promised_date,"
        " due_soon_notified, overdue_notified) VALUES ('2025-01-01', '2025-01-01', '123456789012', 1, 't', 's', 1,"
        " '{}', 'a', 'u', 'hq', 'waiting_citizen', '[]', '2025-01-01', '2025-01-05', false, false)",
    ]
    for sql in rows:
        await Tortoise.get_connection("default").execute_query(sql)
    await Tortoise.close_connections()
    await migrate(db_url)  # every later migration, over the rows
    async with TortoiseContext() as ctx:
        await ctx.init(config=config)
        request = await Request.get(tracking_code="123456789012")
        assert (request.channel, request.conversation) == ("messenger", "open")
        assert (await UnitGroup.get(unit_code="u")).health == "ok"
