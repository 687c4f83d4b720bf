"""Staff in their unit groups: the card's buttons, the inputs they ask for (a reason, a question,
the result's files...) and a reply to the card, which goes to the citizen.

Every action is authorised here, on the server, from the database and getChatMember, whatever the
button says; desk/workflow.py then makes the change idempotently."""

from __future__ import annotations

import logging

from aiogram import Bot, F
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.access import actor_of, authorise
from bot.callbacks import StaffCb
from bot.delivery.files import save_file, source_of
from bot.filters import GroupChat, Magic
from bot.l10n import L10n
from bot.middlewares import StaffCardMiddleware
from bot.routes import Routes
from bot.services import Services
from bot.states import StaffStates
from bot.views.render import pick
from bot.views.staff import PROMPTS, card_view, input_keyboard, refund_keyboard, transfer_keyboard
from desk import payments, reachability, staff, tracking, workflow
from desk.catalog import Catalog
from desk.staff import Access, Actor, StaffAction
from models import OutboxMessage, Request, RequestStatus, UnitGroup

log = logging.getLogger("mizban.staff")
router = Routes("staff")
groups = router.include(Routes("staff-groups"))
groups.message.filter(GroupChat())


async def show_card(
    bot: Bot,
    request: Request,
    chat_id: int,
    message_id: int,
    services: Services,
    *,
    markup: InlineKeyboardMarkup | None = None,
) -> None:
    """Edit a card in the acting staff member's chat (others get theirs through the outbox). Cards
    are written in the desk's language: a group is shared by people of either."""
    text, kb = await card_view(
        services.locales.get(None),
        request,
        services.catalog,
        services.clock.today(),
        platform=getattr(bot, "platform", "telegram"),
        chat_id=chat_id,
        message_id=message_id,
    )
    try:
        await bot.edit_message_text(text=text, chat_id=chat_id, message_id=message_id, reply_markup=markup or kb)
    except TelegramBadRequest as e:
        log.warning("could not edit card %s/%s: %s", chat_id, message_id, e.message)


async def refresh_here(bot: Bot, request: Request, chat_id: int, services: Services) -> None:
    """After an action: the request's card, when it lives in this chat."""
    request = await Request.get(id=request.id)
    if (request.card_platform, request.card_chat_id) == (
        getattr(bot, "platform", "telegram"),
        chat_id,
    ) and request.card_message_id:
        await show_card(bot, request, chat_id, request.card_message_id, services)


async def to_citizen_text(l10n: L10n, outcome: workflow.Outcome, done_key: str) -> str:
    """After staff asked, wrote to or answered the citizen: "sent", or that it did not reach them."""
    if outcome.done and not await reachability.reachable(outcome.request):
        return l10n("staff-sent-unreachable")
    return outcome_text(l10n, outcome, done_key)


def outcome_text(l10n: L10n, outcome: workflow.Outcome, done_key: str) -> str:
    if outcome.code == "taken":
        return l10n.button("staff-taken-by", name=outcome.by or "")
    return l10n.button(done_key if outcome.done else f"staff-outcome-{outcome.code}")


# -- the card's buttons: one handler per action; StaffCardMiddleware has loaded the request and
# refused whoever may not press the button (desk/staff.ACTIONS) -----------------------------------------
router.callback_query.middleware(StaffCardMiddleware())


def pressed(*actions: StaffAction):
    return StaffCb.filter(F.action.in_(actions))


async def _show_after(query: CallbackQuery, bot: Bot, request: Request, services: Services) -> None:
    """After an action: the card pressed, and the request's card when it is another one in this chat."""
    chat_id = query.message.chat.id if query.message else None
    if query.message is not None:
        await show_card(bot, await Request.get(id=request.id), chat_id, query.message.message_id, services)
    if query.message is None or query.message.message_id != request.card_message_id:
        await refresh_here(bot, request, chat_id, services)


def _here(query: CallbackQuery, platform: str) -> tuple[str, int | None]:
    return platform, query.message.chat.id if query.message else None


@router.callback_query(pressed(StaffAction.TAKE))
async def take(
    query: CallbackQuery,
    bot: Bot,
    l10n: L10n,
    platform: str,
    request: Request,
    actor: Actor,
    services: Services,
):
    outcome = await workflow.take(request.id, actor, actor_chat=_here(query, platform))
    await query.answer(outcome_text(l10n, outcome, "staff-taken-ok"), show_alert=outcome.code == "taken")
    await _show_after(query, bot, request, services)


@router.callback_query(pressed(StaffAction.STAGE))
async def next_stage(
    query: CallbackQuery,
    callback_data: StaffCb,
    bot: Bot,
    l10n: L10n,
    platform: str,
    request: Request,
    actor: Actor,
    services: Services,
):
    outcome = await workflow.move_to_stage(request.id, actor, callback_data.arg, actor_chat=_here(query, platform))
    await query.answer(outcome_text(l10n, outcome, "staff-stage-ok"))
    await _show_after(query, bot, request, services)


@router.callback_query(pressed(StaffAction.TRANSFER))
async def choose_unit(query: CallbackQuery, bot: Bot, l10n: L10n, request: Request, services: Services):
    if request.status in RequestStatus.CLOSED:
        await query.answer(l10n.button("staff-outcome-closed"), show_alert=True)
        return
    await query.answer()
    await show_card(
        bot,
        request,
        query.message.chat.id,
        query.message.message_id,
        services,
        markup=transfer_keyboard(l10n, request, await _transfer_targets(request, services.catalog, l10n)),
    )


@router.callback_query(pressed(StaffAction.TO))
async def transfer(
    query: CallbackQuery,
    callback_data: StaffCb,
    bot: Bot,
    l10n: L10n,
    platform: str,
    request: Request,
    actor: Actor,
    services: Services,
):
    unit = services.catalog.units.get(callback_data.arg)
    if unit is None:
        await query.answer(l10n.button("staff-denied"), show_alert=True)
        return
    outcome = await workflow.transfer(request.id, actor, unit.code, unit.place, actor_chat=_here(query, platform))
    await query.answer(outcome_text(l10n, outcome, "staff-transfer-ok"), show_alert=not outcome.done)
    await _show_after(query, bot, request, services)


@router.callback_query(pressed(StaffAction.REFUND))
async def refund(
    query: CallbackQuery,
    callback_data: StaffCb,
    bot: Bot,
    l10n: L10n,
    platform: str,
    request: Request,
    actor: Actor,
    services: Services,
):
    """Record a refund of the fees paid in the chat (after a confirmation); who and when are kept."""
    if callback_data.arg != "yes":
        await query.answer()
        await show_card(
            bot,
            request,
            query.message.chat.id,
            query.message.message_id,
            services,
            markup=refund_keyboard(l10n, request),
        )
        return
    outcome = await payments.refund(request.id, actor, actor_chat=_here(query, platform))
    await query.answer(l10n.button(f"staff-refund-{outcome}"), show_alert=outcome != "done")
    await _show_after(query, bot, request, services)


@router.callback_query(pressed(*staff.INPUT_ACTIONS))
async def ask_input(
    query: CallbackQuery,
    callback_data: StaffCb,
    bot: Bot,
    l10n: L10n,
    request: Request,
    actor: Actor,
    state: FSMContext,
    services: Services,
):
    """An action that needs text (a question, a reason...) or the result's files: ask for them."""
    action = callback_data.action
    if request.status in RequestStatus.CLOSED:
        await query.answer(l10n.button("staff-outcome-closed"), show_alert=True)
        return
    if action == StaffAction.INQUIRY_DONE and request.status != RequestStatus.WAITING_INQUIRY:
        await query.answer(l10n.button("staff-outcome-already"))
        await show_card(bot, request, query.message.chat.id, query.message.message_id, **services)
        return
    await query.answer()
    prompt = await query.message.answer(
        l10n(PROMPTS[action][0], name=actor.name, code=l10n.code(request.tracking_code)),
        reply_markup=input_keyboard(l10n, request, action),
    )
    prompts = await _prompts(state)
    n = 1 + max((p["n"] for p in prompts.values()), default=0)
    prompts[str(prompt.message_id)] = {
        "n": n,
        "request": request.id,
        "action": action,
        "step": 0,
        "values": [],
        "docs": [],
    }
    await _keep(state, prompts)


@router.callback_query(pressed(StaffAction.DOCS))
async def documents(query: CallbackQuery, l10n: L10n, platform: str, request: Request, citizen=None):
    """The request's documents, to the presser's private chat with the bot (never to the group)."""
    if citizen is None or citizen.chat_id is None or citizen.blocked_at is not None:
        await query.answer(l10n.button("staff-docs-start"), show_alert=True)
        return
    await workflow.documents_to(request, platform, citizen.chat_id)
    await query.answer(l10n.button("staff-docs-sent"))


@router.callback_query(pressed(StaffAction.REPOST))
async def repost(query: CallbackQuery, l10n: L10n, request: Request):
    """The card again at the bottom of its group (from /overdue's buttons)."""
    done = await workflow.repost_card(request)
    await query.answer(l10n.button("staff-reposted" if done else "staff-repost-no-group"))


@groups.message(Command("repost"))
async def repost_command(
    message: Message,
    command: CommandObject,
    bot: Bot,
    l10n: L10n,
    platform: str,
    services: Services,
):
    """`/repost CODE` in a unit's group: that request's card again, as a new message."""
    code = tracking.normalize(command.args or "")
    units = await staff.units_of_chat(platform, message.chat.id)
    request = await Request.get_or_none(tracking_code=code, unit_code__in=units) if code and units else None
    if request is None:
        await message.reply(l10n("staff-repost-usage"))
        return
    actor = actor_of(message.from_user, platform)
    if not await authorise(services, bot, actor, request.unit_code):
        await message.reply(l10n("staff-denied"))
        return
    await workflow.repost_card(request)


@router.callback_query(pressed(StaffAction.REFRESH))
async def refresh(query: CallbackQuery, bot: Bot, request: Request, services: Services):
    await query.answer()
    await _show_after(query, bot, request, services)


async def _transfer_targets(request: Request, catalog: Catalog, l10n: L10n) -> list[tuple[str, str]]:
    """Units that can receive it: bound to a group, other than its own."""
    bound = set(await UnitGroup.all().values_list("unit_code", flat=True))
    return [
        (code, pick(unit.title, l10n.lang))
        for code, unit in catalog.units.items()
        if code in bound and code != request.unit_code
    ]


# -- inputs: a question, a reason, the result... -----------------------------------------------------------
# Each prompt the bot asks in a group is its own pending action, kept in the asking staff member's
# state under the prompt's message id: a reply to a prompt completes that prompt whatever else is
# open (a message that replies to nothing goes to their latest prompt). The prompt message itself
# then shows the outcome, without buttons: one action costs the group one new message.
async def _prompts(state: FSMContext) -> dict[str, dict]:
    return (
        dict((await state.get_data()).get("prompts") or {})
        if await state.get_state() == StaffStates.input.state
        else {}
    )


async def _keep(state: FSMContext, prompts: dict[str, dict]) -> None:
    if prompts:
        await state.set_state(StaffStates.input)
        await state.set_data({"prompts": prompts})
    else:
        await state.clear()


def _adopt(prompts: dict[str, dict], shown: Message) -> str | None:
    """The open prompt that the message `shown` (a prompt of the bot, with its buttons) stands for.

    After a crash a prompt may have been sent twice: the process that sent the first copy died
    before recording it, and the press was handled again. The copy the person uses then takes over
    the newest open prompt of the same request (read from its buttons), so their reply or press is
    never lost on the copy that has no record."""
    key = str(shown.message_id)
    if key in prompts:
        return key
    shown_for = set()
    for row in shown.reply_markup.inline_keyboard if shown.reply_markup else []:
        for b in row:
            if b.callback_data and b.callback_data.startswith(f"{StaffCb.__prefix__}:"):
                try:
                    shown_for.add(StaffCb.unpack(b.callback_data).request)
                except (TypeError, ValueError):
                    continue
    twins = [k for k, p in prompts.items() if p.get("request") in shown_for]
    if not twins:
        return None
    prompts[key] = prompts.pop(max(twins, key=lambda k: prompts[k]["n"]))
    return key


async def open_prompt(message: Message, state: FSMContext) -> dict | bool:
    """Routing filter: the staff member's open prompt this message answers (as `prompt_id`)."""
    if (message.text or "").startswith("/"):
        return False
    prompts = await _prompts(state)
    if not prompts:
        return False
    replied = message.reply_to_message
    if replied is not None:
        key = _adopt(dict(prompts), replied) if replied.from_user and replied.from_user.is_bot else None
        # a reply to something else (a card, a citizen's message): not a prompt's answer
        return {"prompt_id": key} if key else False
    return {"prompt_id": max(prompts, key=lambda k: prompts[k]["n"])}


async def _settle_prompt(bot: Bot, chat_id: int, prompt_id: str, text: str) -> None:
    """The prompt message becomes its outcome, with no buttons left."""
    try:
        await bot.edit_message_text(text=text, chat_id=chat_id, message_id=int(prompt_id), reply_markup=None)
    except TelegramBadRequest as e:  # too old to edit, or deleted: say it as a reply instead
        log.info("prompt %s not editable (%s): the outcome is sent as a new message", prompt_id, e.message)
        await bot.send_message(chat_id, text)


@groups.message(StateFilter(StaffStates.input), Magic(F.text | F.document | F.photo), open_prompt)
async def got_input(
    message: Message,
    bot: Bot,
    l10n: L10n,
    platform: str,
    state: FSMContext,
    prompt_id: str,
    services: Services,
):
    prompts = await _prompts(state)
    if prompt_id not in prompts and message.reply_to_message:
        _adopt(prompts, message.reply_to_message)  # the copy replied to takes its twin's record
    data = prompts[prompt_id]
    request = await Request.get_or_none(id=data.get("request"))
    if request is None or data.get("action") not in staff.INPUT_ACTIONS:
        prompts.pop(prompt_id)
        await _keep(state, prompts)
        return
    action = StaffAction(data["action"])
    if action == StaffAction.DELIVER:  # text and files, collected until "send"
        doc = await save_file(message, bot, services, platform=platform, citizen=None, role="result")
        text = message.text or message.caption
        data["values"] += [text] if text else []
        data["docs"] += [doc.id] if doc else []
        await _keep(state, prompts)
        head = l10n(PROMPTS[action][0], name=message.from_user.full_name, code=l10n.code(request.tracking_code))
        await bot.edit_message_text(
            text=head + "\n\n" + l10n("staff-result-collected", files=len(data["docs"]), texts=len(data["values"])),
            chat_id=message.chat.id,
            message_id=int(prompt_id),
            reply_markup=input_keyboard(l10n, request, action),
        )
        return
    if not message.text:
        await message.reply(l10n("staff-text-only"))
        return
    data["values"], data["step"] = data["values"] + [message.text], data["step"] + 1
    if data["step"] < len(PROMPTS[action]):  # the next question, in the same prompt message
        await _keep(state, prompts)
        await bot.edit_message_text(
            text=l10n(
                PROMPTS[action][data["step"]], name=message.from_user.full_name, code=l10n.code(request.tracking_code)
            ),
            chat_id=message.chat.id,
            message_id=int(prompt_id),
            reply_markup=input_keyboard(l10n, request, action),
        )
        return
    prompts.pop(prompt_id)
    await _keep(state, prompts)
    actor = actor_of(message.from_user, platform)
    # authorised again: membership or the assignee may have changed while they typed
    access = await authorise(services, bot, actor, request.unit_code)
    if not staff.may(access, await Request.get(id=request.id), actor, action):
        await _settle_prompt(bot, message.chat.id, prompt_id, l10n("staff-denied"))
        return
    values = data["values"]
    outcome = await workflow.complete(action, request.id, actor, values, actor_chat=(platform, message.chat.id))
    if action in (StaffAction.ASK, StaffAction.REJECT):  # the citizen is told: did it reach them
        done = await to_citizen_text(l10n, outcome, f"staff-{action}-ok")
    else:
        done = outcome_text(l10n, outcome, f"staff-{action}-ok")
    await _settle_prompt(bot, message.chat.id, prompt_id, done)
    await refresh_here(bot, request, message.chat.id, services)


@router.callback_query(pressed(StaffAction.CANCEL))
async def cancel_input(query: CallbackQuery, l10n: L10n, state: FSMContext):
    prompts = await _prompts(state)
    mine = prompts.pop(_adopt(prompts, query.message) or "", None) is not None
    if not mine:  # someone else's prompt, or one already finished
        await query.answer(l10n.button("staff-prompt-not-yours"), show_alert=True)
        return
    await _keep(state, prompts)
    await query.answer()
    await query.message.edit_text(l10n("staff-cancelled"), reply_markup=None)


@router.callback_query(pressed(StaffAction.SEND))
async def send_result(
    query: CallbackQuery,
    bot: Bot,
    l10n: L10n,
    platform: str,
    request: Request,
    actor: Actor,
    access: Access,
    state: FSMContext,
    services: Services,
):
    """The result collected since "deliver" goes to the citizen."""
    prompts = await _prompts(state)
    data = prompts.get(_adopt(prompts, query.message) or "")
    if data is None:
        await query.answer(l10n.button("staff-prompt-not-yours"), show_alert=True)
        return
    if not staff.may(access, await Request.get(id=request.id), actor, StaffAction.DELIVER):  # taken meanwhile
        prompts.pop(str(query.message.message_id))
        await _keep(state, prompts)
        await query.answer(l10n.button("staff-taken-by", name=request.assignee_name or ""), show_alert=True)
        await query.message.edit_reply_markup(reply_markup=None)
        return
    if not data["values"] and not data["docs"]:
        await query.answer(l10n.button("staff-result-empty"), show_alert=True)
        return
    prompts.pop(str(query.message.message_id))
    await _keep(state, prompts)
    await query.answer()
    here = _here(query, platform)
    outcome = await workflow.deliver(
        request.id, actor, "\n\n".join(data["values"]) or None, data["docs"], actor_chat=here
    )
    await _settle_prompt(
        bot,
        query.message.chat.id,
        str(query.message.message_id),
        await to_citizen_text(l10n, outcome, "staff-deliver-ok"),
    )
    await refresh_here(bot, request, here[1], services)


# -- a reply to the card goes to the citizen ------------------------------------------------------------------
async def card_replied(message: Message, platform: str) -> dict | bool:
    replied = message.reply_to_message
    if replied is None or not (replied.from_user and replied.from_user.is_bot) or (message.text or "").startswith("/"):
        return False
    request = await Request.get_or_none(
        card_platform=platform, card_chat_id=message.chat.id, card_message_id=replied.message_id
    )
    if request is None:  # a reply to a citizen's message passed on under the card
        row = (
            await OutboxMessage.filter(platform=platform, chat_id=message.chat.id, sent_message_id=replied.message_id)
            .exclude(request_id=None)
            .first()
        )
        request = await Request.get_or_none(id=row.request_id) if row else None
    return {"request": request} if request is not None else False


@groups.message(Magic(F.text | F.document | F.photo), card_replied)
async def reply_to_citizen(
    message: Message,
    bot: Bot,
    l10n: L10n,
    platform: str,
    request: Request,
    services: Services,
):
    actor = actor_of(message.from_user, platform)
    access = await authorise(services, bot, actor, request.unit_code)
    if not access or not staff.may_change(access, request, actor):
        await message.reply(
            l10n("staff-denied") if not access else l10n("staff-taken-by", name=request.assignee_name or "")
        )
        return
    doc = await save_file(message, bot, services, platform=platform, citizen=None, role="message")
    outcome = await workflow.staff_message(
        request.id,
        actor,
        text=message.text or message.caption,
        source=source_of(message, platform),
        document_ids=[doc.id] if doc else [],
    )
    await message.reply(await to_citizen_text(l10n, outcome, "staff-message-sent"))
