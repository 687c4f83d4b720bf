"""/reload: admins load the service cards again; a broken card keeps the catalogue in use."""

import shutil

from tests.factories import TEST_CATALOG


async def test_reload_by_admin_only_and_broken_cards_keep_the_old_catalogue(make_desk, tmp_path):
    root = tmp_path / "catalog"
    shutil.copytree(TEST_CATALOG, root)
    desk = await make_desk(catalog={"dir": str(root)})
    admin, citizen = desk.citizen("Admin", user_id=900), desk.citizen("Citizen")

    await citizen.send("/reload")
    assert "فقط برای مدیران" in citizen.last["plain"]

    card = root / "services" / "permit.toml"
    card.write_text(card.read_text("utf-8").replace("استعلام پروانه ساختمان", "استعلام پروانهٔ ساختمانی"), "utf-8")
    await admin.send("/reload")
    assert "۱ خدمت" in admin.last["plain"]
    await citizen.send("/start s_permit")
    assert "استعلام پروانهٔ ساختمانی" in citizen.last["plain"]

    card.write_text(card.read_text("utf-8").replace('type = "G2C"', 'type = "G2X"'), "utf-8")
    await admin.send("/reload")
    assert "permit.toml" in admin.last["plain"] and "type" in admin.last["plain"]
    await citizen.send("/start s_permit")
    assert "استعلام پروانهٔ ساختمانی" in citizen.last["plain"]  # the previous catalogue stays in use
