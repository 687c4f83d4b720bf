"""Rights follow membership at once: a member who leaves or is removed from a unit's group loses
their staff rights with that change (chat_member updates, or the "left the group" service message),
in every process, even with the membership answer cached a moment before; their old buttons are refused."""

from __future__ import annotations

import pytest

from bot.app import build_dispatcher
from models import Request, RequestEvent
from tests.factories import FAST, make_world

DENIED = "اجازهٔ این کار را ندارید"


def listen_like_polling(desk) -> None:
    """The bot asks for what its routers handle, as polling and setWebhook do (resolve_used_update_types)."""
    allowed = desk.dp.resolve_used_update_types()
    assert "chat_member" in allowed
    desk.standin.bot().allowed_updates = allowed


@pytest.mark.parametrize("seen_as", ["both", "chat_member", "service_message"])
async def test_a_removed_member_loses_their_rights_at_once(make_desk, seen_as):
    desk = await make_desk(outbox=FAST)
    listen_like_polling(desk)
    world = await make_world(desk)
    if seen_as == "chat_member":
        world.group.service_messages = False  # a group that hides "left the group" messages
    elif seen_as == "service_message":
        desk.standin.bot().allowed_updates = [u for u in desk.dp.resolve_used_update_types() if u != "chat_member"]
    request = await world.submit()
    await world.press(world.clerk, "برمی‌دارم", request)  # a member: allowed, and remembered for a minute
    request = await Request.get(id=request.id)
    assert request.assignee_user_id == world.clerk.id
    stale = world.group.history[request.card_message_id]
    await world.group.leave(world.clerk, by=world.admin, status="kicked")
    answer = await world.group.press(world.clerk, "مرحلهٔ بعد", stale.message_id)
    assert DENIED in answer["text"]
    assert (await Request.get(id=request.id)).stage_code == request.stage_code
    assert await RequestEvent.filter(request=request, kind="stage").count() == 0
    # they come back: asked again, allowed again
    await world.group.join(world.clerk, by=world.admin)
    await world.group.press(world.clerk, "مرحلهٔ بعد", request.card_message_id)
    assert await RequestEvent.filter(request=request, kind="stage").count() == 1


async def test_a_member_who_leaves_by_themselves_is_refused(make_desk):
    desk = await make_desk(outbox=FAST)
    listen_like_polling(desk)
    world = await make_world(desk)
    request = await world.submit()
    await world.press(world.clerk2, "برمی‌دارم", request)
    await world.group.leave(world.clerk2)
    answer = await world.group.press(world.clerk2, "مرحلهٔ بعد", request.card_message_id)
    assert DENIED in answer["text"]


async def test_every_process_sees_the_change(make_desk, redis_url):
    """Two web processes (two dispatchers sharing Redis): the removal reaches one, the stale press the other."""
    desk = await make_desk(outbox=FAST, redis={"url": redis_url})
    listen_like_polling(desk)
    world = await make_world(desk)
    request = await world.submit()
    await world.press(world.clerk, "برمی‌دارم", request)
    first = desk.dp
    second = build_dispatcher(desk.settings)
    desk.wire(second)  # the removal is delivered to the second process
    await world.group.leave(world.clerk, by=world.admin, status="kicked")
    desk.wire(first)  # the stale press to the first one
    answer = await world.group.press(world.clerk, "مرحلهٔ بعد", request.card_message_id)
    assert DENIED in answer["text"]
    await second.fsm.storage.close()
