"""The committed migrations build the schema on SQLite and PostgreSQL, and match the models; a new
database built in one step (bot/db.py) is the same as one the migrations built."""

import importlib
from pathlib import Path

import pytest
from tortoise import Tortoise
from tortoise.context import TortoiseContext
from tortoise.migrations.autodetector import MigrationAutodetector

from bot.db import migrate, tables, tortoise_config
from models import Citizen, Request, UnitGroup


async def _empty(db_url: str) -> None:
    if db_url.startswith("postgres"):
        await Tortoise.init(config=tortoise_config(db_url))
        await Tortoise.get_connection("default").execute_script("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
        await Tortoise.close_connections()
    else:
        for suffix in ("", "-wal", "-shm"):
            Path(db_url.removeprefix("sqlite://") + suffix).unlink(missing_ok=True)


async def test_migrations_apply_and_match_models(db_url):
    await _empty(db_url)
    await migrate(db_url, new_in_one_step=False)  # every migration, one after the other
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


async def _picture(db_url: str) -> dict:
    """What a database holds: each table's columns (type, nullability, default), indexes and
    constraints, its rows, and the migrations recorded as applied (without their dates)."""
    await Tortoise.init(config=tortoise_config(db_url))
    conn = Tortoise.get_connection("default")
    picture: dict = {}
    try:
        for table in await tables(conn):
            if db_url.startswith("postgres"):
                _, columns = await conn.execute_query(
                    "SELECT column_name, data_type, character_maximum_length, is_nullable, column_default"
                    " FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1",
                    [table],
                )
                _, indexes = await conn.execute_query(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1",
                    [table],
                )
                _, constraints = await conn.execute_query(
                    "SELECT conname, pg_get_constraintdef(oid) AS definition FROM pg_constraint"
                    " WHERE conrelid = $1::regclass",
                    [table],
                )
            else:  # SQLite: the same, less what only says where a column is in its table
                _, columns = await conn.execute_query(f'PRAGMA table_info("{table}")')
                columns = [{k: v for k, v in dict(c).items() if k != "cid"} for c in columns]
                _, listed = await conn.execute_query(f'PRAGMA index_list("{table}")')
                indexes = []
                for index in listed:
                    _, indexed = await conn.execute_query(f'PRAGMA index_info("{index["name"]}")')
                    on = [(c["seqno"], c["name"]) for c in indexed]
                    indexes.append({**{k: v for k, v in dict(index).items() if k != "seq"}, "columns": on})
                _, constraints = await conn.execute_query(f'PRAGMA foreign_key_list("{table}")')
                constraints = [{k: v for k, v in dict(c).items() if k not in ("id", "seq")} for c in constraints]
            if table == "tortoise_migrations":
                _, rows = await conn.execute_query(f'SELECT app, name FROM "{table}" ORDER BY id')
            else:
                _, rows = await conn.execute_query(f'SELECT * FROM "{table}"')
            picture[table] = {
                "columns": sorted(map(repr, (dict(c) for c in columns))),
                "indexes": sorted(map(repr, (dict(i) for i in indexes))),
                "constraints": sorted(map(repr, (dict(c) for c in constraints))),
                "rows": [dict(r) for r in rows],
            }
    finally:
        await Tortoise.close_connections()
    return picture


async def test_a_new_database_in_one_step_is_the_one_the_migrations_build(db_url):
    await _empty(db_url)
    await migrate(db_url, new_in_one_step=False)
    replayed = await _picture(db_url)
    await _empty(db_url)
    await migrate(db_url)  # a new database: the models' schema at once, the migrations recorded
    in_one_step = await _picture(db_url)
    assert len(replayed["tortoise_migrations"]["rows"]) >= 7
    assert set(in_one_step) == set(replayed)
    for table, picture in replayed.items():
        assert in_one_step[table] == picture, table
    await migrate(db_url)  # and a start after it has nothing to apply
    assert await _picture(db_url) == in_one_step


async def test_a_database_with_any_table_is_migrated_step_by_step(db_url):
    """Only a database without tables is created in one step: one with a table of anyone's is not
    taken for new (the migrations then say what they cannot apply)."""
    await _empty(db_url)
    await Tortoise.init(config=tortoise_config(db_url))
    await Tortoise.get_connection("default").execute_script('CREATE TABLE "citizen" ("id" INT)')
    await Tortoise.close_connections()
    with pytest.raises(Exception, match="(?i)exists"):
        await migrate(db_url)
    await Tortoise.close_connections()


async def test_a_restart_with_every_migration_applied_loads_none(db_url, monkeypatch):
    from bot.db import migration_names

    api = importlib.import_module("tortoise.migrations.api.migrate")  # the module (its package names the function so)

    await _empty(db_url)
    await migrate(db_url)
    assert len(migration_names()) >= 7

    async def refuse(**_):
        raise AssertionError("the migrations were loaded again")

    monkeypatch.setattr(api, "migrate", refuse)
    await migrate(db_url)  # a restart: everything recorded, nothing to load
    await Tortoise.init(config=tortoise_config(db_url))  # one recorded no more: the migrations run
    await Tortoise.get_connection("default").execute_script(
        "DELETE FROM tortoise_migrations WHERE name = '0007_report_submitted_late'"
    )
    await Tortoise.close_connections()
    with pytest.raises(AssertionError, match="loaded again"):
        await migrate(db_url)
