"""The messenger's lifecycle, driven through the real dispatcher and a stand-in that behaves like the
real servers: a group upgraded to a supergroup (its service messages, or only the 400 answer with
migrate_to_chat_id), the bot removed, banned, restricted or demoted (my_chat_member, or only 403
answers), a chat that is gone ("chat not found"), a citizen who blocked the bot; and what people see
and what is stored each time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.delivery.outbox_sender import Sender
from desk import outbox, reachability
from models import Citizen, GroupHealth, OutboxMessage, OutboxStatus, Request, RequestEvent, Role, UnitGroup
from tests.factories import (
    FAST,
    TEST_CATALOG,
    UNIT,
    VALID_NID,
    World,
    fill_permit_form,
    fill_profile,
    make_world,
    open_service,
)


@pytest.fixture
async def desk(make_desk):
    return await make_desk(outbox=FAST)


async def basic_world(desk) -> World:
    """A unit bound to a basic group (one that can be upgraded to a supergroup)."""
    admin = desk.citizen("Admin", user_id=900)
    clerk, clerk2 = desk.citizen("Clerk"), desk.citizen("Clerk Two")
    group = desk.group(
        "Fars tax office", basic=True, members={admin.id: "creator", clerk.id: "member", clerk2.id: "member"}
    )
    await group.send(admin, f"/bind {UNIT}")
    user = desk.citizen("Sara")
    await user.send("/start")
    citizen = await Citizen.get(platform="telegram", user_id=user.id)
    citizen.full_name, citizen.national_id, citizen.mobile = "Sara", VALID_NID, "09121234567"
    await citizen.save()
    return World(desk, group, admin, clerk, clerk2, user, citizen)


# -- a group becomes a supergroup ------------------------------------------------------------------
async def test_an_upgraded_group_takes_its_binding_queued_cards_and_old_cards_along(desk):
    world = await basic_world(desk)
    first = await world.submit()
    assert first.card_chat_id == world.group.id
    second = await _submit_queued(world)  # its card is still queued for the old chat
    supergroup = await world.group.upgrade(world.admin)  # the service messages reach the bot
    assert (await UnitGroup.get(unit_code=UNIT)).chat_id == supergroup.id
    assert (await Request.get(id=first.id)).card_chat_id == supergroup.id
    assert {r.chat_id for r in await OutboxMessage.filter(status=OutboxStatus.PENDING)} == {supergroup.id}
    old_calls = len(desk.standin.calls)
    await desk.deliver_outbox()
    second = await Request.get(id=second.id)
    assert second.card_chat_id == supergroup.id and supergroup.history[second.card_message_id].bot_token
    refused = [c for c in desk.standin.calls[old_calls:] if c.params.get("chat_id") == world.group.id]
    assert not refused  # nothing was tried on the old id
    # staff act on the old card and the new one from the supergroup
    await supergroup.press(world.clerk, "برمی‌دارم", first.card_message_id)
    await supergroup.press(world.clerk2, "برمی‌دارم", second.card_message_id)
    await desk.deliver_outbox()
    first, second = await Request.get(id=first.id), await Request.get(id=second.id)
    assert (first.assignee_user_id, second.assignee_user_id) == (world.clerk.id, world.clerk2.id)
    assert "Clerk" in supergroup.history[first.card_message_id].plain
    # membership is checked in the supergroup: someone who left it is refused on the old card
    answer = await supergroup.press(world.clerk2, "به‌روزرسانی", first.card_message_id)
    assert not answer.get("text")
    supergroup.members[world.clerk2.id] = "kicked"
    desk.dp.workflow_data["services"].members.clear()  # no cached answer
    answer = await supergroup.press(world.clerk2, "به‌روزرسانی", first.card_message_id)
    assert "اجازه" in answer["text"] and answer["show_alert"]


async def test_a_send_answered_group_upgraded_moves_everything_and_is_sent_to_the_supergroup(desk):
    world = await basic_world(desk)
    first = await world.submit()
    supergroup = await world.group.upgrade(world.admin, announce=False)  # the bot missed the service messages
    second = await world.submit()  # queued to the old id: answered 400 with migrate_to_chat_id
    refused = [c for c in desk.standin.calls if c.method == "sendMessage" and c.params["chat_id"] == world.group.id]
    assert refused, "the old id was tried"
    group = await UnitGroup.get(unit_code=UNIT)
    assert group.chat_id == supergroup.id and group.health == GroupHealth.OK
    second = await Request.get(id=second.id)
    assert second.card_chat_id == supergroup.id and supergroup.history[second.card_message_id].bot_token
    assert (await Request.get(id=first.id)).card_chat_id == supergroup.id
    assert {r.status for r in await OutboxMessage.filter(method="staff-card")} == {OutboxStatus.SENT}
    await supergroup.press(world.clerk, "برمی‌دارم", first.card_message_id)
    assert (await Request.get(id=first.id)).assignee_user_id == world.clerk.id


# -- the bot removed, banned, restricted, demoted --------------------------------------------------------
async def test_a_removed_bot_keeps_cards_waiting_tells_overseers_and_delivers_when_added_back(desk):
    world = await make_world(desk)
    boss, other_boss = desk.citizen("Boss"), desk.citizen("Other boss")
    await Role.create(platform="telegram", user_id=boss.id, role="supervisor", unit_code=UNIT)
    await Role.create(platform="telegram", user_id=other_boss.id, role="supervisor", unit_code="inta-hq-legal")
    await world.group.set_bot(world.admin, "kicked")
    group = await UnitGroup.get(unit_code=UNIT)
    assert (group.health, group.health_reason) == (GroupHealth.LOST, "kicked") and group.health_since
    request = await world.submit()
    assert request.card_message_id is None
    assert (await OutboxMessage.get(method="staff-card")).status == OutboxStatus.WAITING
    await desk.deliver_outbox()
    assert "اخراج" in world.admin.last["plain"] and "گروه فعالی ندارد" in world.admin.last["plain"]
    assert "اخراج" in boss.last["plain"]
    assert not other_boss.messages  # another unit's supervisor is not told
    # the admin's overview
    await world.admin.send("/groups")
    assert "در دسترس نیست" in world.admin.last["plain"] and "Fars tax office" in world.admin.last["plain"]
    # reminded daily while it lasts, not more often
    assert await reachability.remind_lost_groups(desk.settings) == 0
    tomorrow = outbox.now() + timedelta(days=1, minutes=1)
    assert await reachability.remind_lost_groups(desk.settings, tomorrow) == 1
    assert await reachability.remind_lost_groups(desk.settings, tomorrow) == 0
    await desk.deliver_outbox()
    assert "یادآوری" in boss.last["plain"]
    # the bot is added back: the waiting card is delivered, overseers are told
    await world.group.set_bot(world.admin, "administrator")
    assert (await UnitGroup.get(unit_code=UNIT)).health == GroupHealth.OK
    await desk.deliver_outbox()
    request = await Request.get(id=request.id)
    assert request.card_chat_id == world.group.id and world.card(request)
    assert "دوباره می‌تواند" in world.admin.last["plain"]
    await world.admin.send("/groups")
    assert "✅" in world.admin.last["plain"]


async def test_sends_refused_with_403_mark_the_group_and_another_group_gets_what_waited(desk):
    world = await make_world(desk)
    first = await world.submit()
    await world.group.set_bot(world.admin, "left", announce=False)  # only the refused sends tell
    second = await world.submit()
    await desk.deliver_outbox()
    group = await UnitGroup.get(unit_code=UNIT)
    assert group.health == GroupHealth.LOST and "not a member" in group.health_reason
    waiting = await OutboxMessage.filter(chat_id=world.group.id, status=OutboxStatus.WAITING)
    assert any(r.method == "staff-card" for r in waiting)
    assert not await OutboxMessage.filter(status=OutboxStatus.DEAD).exists()
    assert "گروه فعالی ندارد" in world.admin.last["plain"]
    # an admin binds another group: the waiting cards go there
    other = desk.group("New office", members={world.admin.id: "administrator", world.clerk.id: "member"})
    await other.send(world.admin, f"/bind {UNIT}")
    await desk.deliver_outbox()
    group = await UnitGroup.get(unit_code=UNIT)
    assert (group.chat_id, group.health) == (other.id, GroupHealth.OK)
    for request in (first, second):
        request = await Request.get(id=request.id)
        assert request.card_chat_id == other.id and other.history[request.card_message_id].bot_token
    assert not await OutboxMessage.filter(status__in=[OutboxStatus.WAITING, OutboxStatus.PENDING]).exists()


async def test_a_chat_not_found_is_a_lost_group(desk):
    world = await make_world(desk)
    world.group.vanish()
    request = await world.submit()
    await desk.deliver_outbox()
    group = await UnitGroup.get(unit_code=UNIT)
    assert group.health == GroupHealth.LOST and "chat not found" in group.health_reason
    assert (await OutboxMessage.get(request_id=request.id, method="staff-card")).status == OutboxStatus.WAITING
    assert "گروه فعالی ندارد" in world.admin.last["plain"]


async def test_a_restricted_bot_loses_the_group_and_a_demoted_one_still_gets_cards(desk):
    world = await make_world(desk)
    await world.group.set_bot(world.admin, "restricted", can_send=False)
    assert (await UnitGroup.get(unit_code=UNIT)).health == GroupHealth.LOST
    request = await world.submit()
    assert request.card_message_id is None
    await world.group.set_bot(world.admin, "member")  # allowed to send again, but no longer an admin
    await desk.deliver_outbox()
    group = await UnitGroup.get(unit_code=UNIT)
    assert group.health == GroupHealth.OK  # back from restricted
    assert (await Request.get(id=request.id)).card_message_id is not None
    await world.group.set_bot(world.admin, "administrator")
    await world.group.set_bot(world.admin, "member")  # demoted
    group = await UnitGroup.get(unit_code=UNIT)
    assert (group.health, group.health_reason) == (GroupHealth.LIMITED, "demoted")
    second = await world.submit()
    assert second.card_message_id is not None  # cards still go out
    await desk.deliver_outbox()
    assert "مدیر" in world.admin.last["plain"] and "برکنار" in world.admin.last["plain"]


async def test_the_receipt_does_not_say_the_unit_has_it_when_its_group_is_lost(make_desk):
    desk = await make_desk(outbox=FAST, catalog={"dir": str(TEST_CATALOG)})
    admin = desk.citizen("Admin", user_id=900)
    group = desk.group("District 5", members={admin.id: "administrator"})
    await group.send(admin, "/bind muni-d5")

    async def receipt(user) -> str:
        await open_service(user, "شهرداری تهران", "استعلام پروانه ساختمان")
        await user.press("ثبت درخواست این خدمت")
        if "نام و نام خانوادگی" in user.last["plain"]:
            await fill_profile(user)
        await fill_permit_form(user)
        await user.press("ثبت نهایی")
        return next(t for t in reversed(user.texts()) if "کد رهگیری" in t)

    user = desk.citizen("Sara")
    assert "به واحد مسئول فرستاده شد" in await receipt(user)
    await group.set_bot(admin, "kicked")
    text = await receipt(user)
    assert "فرستاده شد" not in text and "فعلاً نمی‌تواند" in text
    await group.set_bot(admin, "administrator")
    assert "به واحد مسئول فرستاده شد" in await receipt(user)


# -- a citizen who blocked the bot -----------------------------------------------------------------------
async def test_staff_are_told_when_the_citizen_blocked_the_bot_and_it_is_delivered_on_return(desk):
    world = await make_world(desk)
    request = await world.submit()
    await world.user.block_bot(announce=False)  # the bot learns it from the refused send
    await world.group.reply(world.clerk, request.card_message_id, "Please send the deed")
    assert "فرستاده شد" in world.group.last["plain"]  # not known yet
    await desk.deliver_outbox()
    notice = world.group.last
    assert "مسدود" in notice["plain"] and "Please" not in notice["plain"]
    assert notice["reply_to_message"]["message_id"] == request.card_message_id  # under the card
    assert (await Citizen.get(id=world.citizen.id)).blocked_at is not None
    row = await OutboxMessage.get(method="notify", chat_id=world.user.id)
    assert row.status == OutboxStatus.WAITING  # not dead
    # known now: staff writing again are told at once that it did not reach the citizen
    await world.group.reply(world.clerk, request.card_message_id, "Second try")
    assert "نرسید" in world.group.last["plain"] and "فرستاده شد" not in world.group.last["plain"]
    before = len(world.user.messages)
    await desk.deliver_outbox()
    assert len(world.user.messages) == before  # nothing is tried while they block the bot
    # the citizen comes back: both messages are delivered, in order
    await world.user.send("/start")
    await desk.deliver_outbox()
    texts = world.user.texts()
    delivered = [t for t in texts if "Please send the deed" in t or "Second try" in t]
    assert len(delivered) == 2 and "Please" in delivered[0]  # each once, in order
    assert {r.status for r in await OutboxMessage.filter(method="notify")} == {OutboxStatus.SENT}


async def test_blocking_and_unblocking_announced_by_the_messenger(desk):
    world = await make_world(desk)
    request = await world.submit()
    await world.user.block_bot()  # my_chat_member: kicked, in the private chat
    assert (await Citizen.get(id=world.citizen.id)).blocked_at is not None
    await world.press(world.clerk, "برمی‌دارم", request)
    row = await OutboxMessage.get(method="notify", chat_id=world.user.id)
    assert row.status == OutboxStatus.WAITING
    await world.user.send("/start")  # writing to the bot unblocks it
    await desk.deliver_outbox()
    assert (await OutboxMessage.get(id=row.id)).status == OutboxStatus.SENT


# -- a row that waited past its lease ----------------------------------------------------------------------
async def test_a_row_claimed_again_after_its_lease_ran_out_is_sent_once(desk):
    world = await make_world(desk)
    request = await world.submit()
    await world.press(world.clerk, "برمی‌دارم", request)
    event = await RequestEvent.get(request_id=request.id, kind="taken")
    calls = len(desk.standin.calls)
    data = {"request": request.id, "event": event.id}
    await outbox.enqueue(platform="telegram", chat_id=world.user.id, kind="notify", data=data, request=request)
    stale = await outbox.claim(10, lease=timedelta(0))  # it waits in a queue while its lease runs out
    fresh = await outbox.claim(10)  # another claim takes it
    assert [r.id for r in stale] == [r.id for r in fresh]
    sender = Sender(desk.settings, {"telegram": desk.bot})
    assert await sender._deliver(stale[0]) == "stale"
    assert await sender._deliver(fresh[0]) == "done"
    sends = [c for c in desk.standin.calls[calls:] if c.params.get("chat_id") == world.user.id]
    assert len(sends) == 1 and sender.stats.stale == 1


async def _submit_queued(world: World) -> Request:
    """A request whose card is queued and not yet sent."""
    deliver = world.desk.deliver_outbox

    async def nothing() -> int:
        return 0

    world.desk.deliver_outbox = nothing
    try:
        return await world.submit()
    finally:
        world.desk.deliver_outbox = deliver


async def test_asking_or_delivering_to_a_citizen_who_blocked_the_bot_says_so(desk):
    world = await make_world(desk)
    request = await world.submit()
    await world.user.block_bot()
    await world.press(world.clerk, "پرسش از متقاضی", request)
    await world.group.send(world.clerk, "Which year?")
    assert "نرسید" in world.group.last["plain"] and "مسدود" in world.group.last["plain"]
    await world.press(world.clerk, "تحویل نتیجه", request)
    await world.group.send(world.clerk, "Your certificate is ready")
    await world.group.press(world.clerk, "ارسال نتیجه")
    await desk.deliver_outbox()
    assert "نرسید" in world.group.last["plain"]
    assert (await Request.get(id=request.id)).status == "answered"
    assert not [t for t in world.user.texts() if "Which year?" in t or "certificate" in t]
    # back: the question and the result reach them, in order
    await world.user.send("/start")
    await desk.deliver_outbox()
    texts = [t for t in world.user.texts() if "Which year?" in t or "certificate is ready" in t]
    assert len(texts) == 2 and "Which year?" in texts[0]


async def test_groups_shows_a_supervisor_their_units_only_and_refuses_others(desk):
    world = await make_world(desk)
    boss, stranger = desk.citizen("Boss"), desk.citizen("Stranger")
    await Role.create(platform="telegram", user_id=boss.id, role="supervisor", unit_code=UNIT)
    await boss.send("/groups")
    listing = boss.last["plain"]
    assert UNIT in listing and "Fars tax office" in listing and "inta-hq-legal" not in listing
    await stranger.send("/groups")
    assert "فقط برای مدیران" in stranger.last["plain"]
    await world.admin.send("/groups")
    assert UNIT in world.admin.last["plain"] and "inta-hq-legal" in world.admin.last["plain"]
