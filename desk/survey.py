"""The satisfaction questionnaire (capability 9, seed 002 appendix 2 §6).

The form (items, axes, scale, respondent questions) is data: catalog/survey.toml. A citizen is
invited when a request is closed; the answers are kept step by step in SurveyResponse.step, so a
questionnaire left half-way is resumed where it stopped. One questionnaire per request, only for
its owner.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from pathlib import Path

from pydantic import Field as Spec
from tortoise.transactions import in_transaction

from desk import summaries
from desk.catalog import Model, Text
from desk.outbox import OutboxKind, enqueue
from models import Citizen, Request, RequestStatus, SurveyAnswer, SurveyResponse

FORM_PATH = Path(__file__).resolve().parent.parent / "catalog" / "survey.toml"
SUGGESTION_MAX = 2000


class Level(Model):
    score: int = Spec(ge=1, le=9)
    label: Text


class Option(Model):
    value: str
    label: Text


class Question(Model):
    key: str
    title: Text
    options: list[Option] = Spec(min_length=1)
    profile: str | None = None  # the Citizen field keeping the answer for the next questionnaire


class Item(Model):
    number: int
    text: Text


class Axis(Model):
    code: str
    title: Text
    items: list[Item] = Spec(min_length=1)


class SurveyForm(Model):
    version: str = Spec(max_length=32)
    satisfied_from: int
    title: Text
    intro: Text
    suggestion: Text
    scale_title: Text
    scale: list[Level] = Spec(min_length=2)
    respondent: list[Question] = []
    axis: list[Axis] = Spec(min_length=1)

    @property
    def items(self) -> list[tuple[Item, Axis]]:
        return [(item, axis) for axis in self.axis for item in axis.items]

    @property
    def scores(self) -> set[int]:
        return {level.score for level in self.scale}

    def step(self, n: int) -> Step:
        """Step n: the respondent questions, then the items, then the suggestion; past the end: done."""
        questions, items = len(self.respondent), self.items
        if n < questions:
            return Step(n, "respondent", question=self.respondent[n])
        if n < questions + len(items):
            item, axis = items[n - questions]
            return Step(n, "item", item=item, axis=axis)
        if n == questions + len(items):
            return Step(n, "suggestion")
        return Step(n, "done")

    @property
    def last_step(self) -> int:
        return len(self.respondent) + len(self.items)


@dataclass(frozen=True)
class Step:
    number: int
    kind: str  # respondent | item | suggestion | done
    question: Question | None = None
    item: Item | None = None
    axis: Axis | None = None


@lru_cache
def load_form(path: Path = FORM_PATH) -> SurveyForm:
    with open(path, "rb") as fh:
        form = SurveyForm.model_validate(tomllib.load(fh))
    numbers = [item.number for item, _ in form.items]
    if sorted(numbers) != list(range(1, len(numbers) + 1)):
        raise ValueError(f"{path}: items must be numbered 1..{len(numbers)}")
    return form


class SurveyRefused(Exception):
    """Not this citizen's request, or not closed yet: shown like a request that does not exist."""


def now() -> datetime:
    return datetime.now(UTC)


async def on_request_closed(request: Request) -> None:
    """Invite the owner to the questionnaire (call inside the transaction that answers or rejects
    the request). A second call for the same request does nothing."""
    if await SurveyResponse.exists(request_id=request.id):
        return
    citizen = await Citizen.get(id=request.citizen_id)
    await SurveyResponse.create(
        request_id=request.id, citizen=citizen, form_version=load_form().version, invited_at=now()
    )
    if citizen.chat_id is not None and citizen.blocked_at is None:
        await enqueue(
            platform=citizen.platform,
            chat_id=citizen.chat_id,
            kind=OutboxKind.SURVEY_INVITE,
            data={"request": request.id},
            request=request,
        )


async def open_for(citizen: Citizen, request_id: int) -> SurveyResponse:
    """The questionnaire of a closed request of this citizen (created if the invitation was never
    made). A stranger's request id is refused exactly like one that does not exist."""
    request = await Request.get_or_none(id=request_id, citizen=citizen)
    if request is None or request.status not in RequestStatus.CLOSED:
        raise SurveyRefused()
    response, _ = await SurveyResponse.get_or_create(
        request=request, defaults={"citizen": citizen, "form_version": load_form().version, "invited_at": now()}
    )
    response.request = request
    return response


async def answer(response: SurveyResponse, citizen: Citizen, step: int, value: str) -> bool:
    """Record the answer to `step` and move on. False when the answer is stale (a button of an
    earlier step, or a completed questionnaire) or invalid: nothing changes then."""
    form = load_form()
    current = form.step(response.step)
    if response.completed_at is not None or step != response.step or current.kind == "done":
        return False
    if current.kind == "respondent":
        question = current.question
        assert question is not None
        if value != "" and value not in {o.value for o in question.options}:
            return False
        response.respondent = {**(response.respondent or {}), question.key: value or None}
        if question.profile and value:
            setattr(citizen, question.profile, value)
            await citizen.save(update_fields=[question.profile, "updated_at"])
    elif current.kind == "item":
        if not value.isdigit() or int(value) not in form.scores:
            return False
        assert current.item is not None and current.axis is not None
        await SurveyAnswer.update_or_create(
            response=response, item=current.item.number, defaults={"axis": current.axis.code, "score": int(value)}
        )
    else:  # the suggestion, "" when skipped
        response.suggestion = value.strip()[:SUGGESTION_MAX] or None
        response.completed_at = now()
    response.step = step + 1
    if response.completed_at is None:
        await response.save()
        return True
    async with in_transaction():
        await response.save()
        await summaries.survey_completed(response)
    return True


async def back(response: SurveyResponse) -> None:
    if response.completed_at is None and response.step > 0:
        response.step -= 1
        await response.save(update_fields=["step", "updated_at"])


async def remember_message(response: SurveyResponse, message_id: int) -> None:
    """The message the questionnaire is being edited in (a resume may move it)."""
    if response.message_id != message_id:
        response.message_id = message_id
        await response.save(update_fields=["message_id", "updated_at"])


async def answered_scores(response: SurveyResponse) -> dict[int, int]:
    return dict(await SurveyAnswer.filter(response=response).values_list("item", "score"))


async def send_reminders(settings, at: datetime | None = None) -> int:
    """Remind, once, every invited citizen who has not finished within settings.survey.reminder_days.
    Returns the number of reminders queued."""

    at = at or now()
    due = (
        await SurveyResponse.filter(
            completed_at=None,
            reminded_at=None,
            invited_at__lte=at - timedelta(days=settings.survey.reminder_days),
        )
        .select_related("citizen", "request")
        .limit(1000)
    )
    for response in due:
        citizen = response.citizen
        async with in_transaction():
            updated = await SurveyResponse.filter(id=response.id, reminded_at=None).update(reminded_at=at)
            if updated and citizen.chat_id is not None and citizen.blocked_at is None:
                await enqueue(
                    platform=citizen.platform,
                    chat_id=citizen.chat_id,
                    kind=OutboxKind.SURVEY_REMIND,
                    data={"request": response.request_id},
                    request=response.request,
                )
    return len(due)
