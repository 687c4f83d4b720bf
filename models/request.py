from __future__ import annotations

from enum import StrEnum, nonmember
from typing import TYPE_CHECKING, Any

from tortoise import fields
from tortoise.models import Model

from models.base import Timestamped
from models.card import CardSnapshot

if TYPE_CHECKING:
    from models.citizen import Citizen


class RequestStatus(StrEnum):
    SUBMITTED = "submitted"
    IN_PROGRESS = "in_progress"
    WAITING_CITIZEN = "waiting_citizen"
    WAITING_INQUIRY = "waiting_inquiry"
    ANSWERED = "answered"
    REJECTED = "rejected"
    # groups of statuses (not members themselves)
    OPEN = nonmember((SUBMITTED, IN_PROGRESS, WAITING_CITIZEN, WAITING_INQUIRY))
    CLOSED = nonmember((ANSWERED, REJECTED))
    ALL = nonmember(OPEN + CLOSED)  # type: ignore[operator]  # the class body sees the tuples themselves


class Channel(StrEnum):
    """How a request reached the desk."""

    MESSENGER = "messenger"  # the citizen filled the form in the chat
    IN_PERSON = "in_person"  # desk staff registered it for a walk-in citizen


class Conversation(StrEnum):
    """A request's conversation with its staff: open while staff asked or wrote something (or the
    citizen chose to write about it), until staff close it or the request ends."""

    NONE = ""
    OPEN = "open"  # the citizen's messages go under the card
    LEFT = "left"  # still open for staff, but the citizen stepped out (a command, Leave)


class Request(Timestamped):
    """A service request, with its tracking code and receipt."""

    id = fields.IntField(primary_key=True)
    tracking_code = fields.CharField(max_length=12, unique=True)
    citizen: fields.ForeignKeyRelation[Citizen] = fields.ForeignKeyField(
        "models.Citizen", related_name="requests", on_delete=fields.RESTRICT
    )
    citizen_id: int
    submit_token = fields.CharField(max_length=40, unique=True)  # one submission per filled form
    service_code = fields.CharField(max_length=64, db_index=True)
    service_version = fields.IntField()
    card: dict[str, Any] = fields.JSONField()  # the service identity card as it was when submitted
    agency_code = fields.CharField(max_length=64, db_index=True)
    unit_code = fields.CharField(max_length=64, db_index=True)
    unit_place = fields.CharField(max_length=8, default="hq")  # hq | line, for the reports
    channel = fields.CharField(max_length=16, default=Channel.MESSENGER, db_default="messenger")
    registered_by = fields.CharField(max_length=128, null=True)  # the desk staff member, for in-person requests
    status = fields.CharField(max_length=20, default=RequestStatus.SUBMITTED, db_index=True)
    stage_code = fields.CharField(max_length=64, null=True)
    answers: list[dict[str, Any]] = fields.JSONField()  # [{"name", "type", "value"}] in form order
    submitted_at = fields.DatetimeField(db_index=True)
    promised_date = fields.DateField()
    answered_at = fields.DatetimeField(null=True, db_index=True)
    result_text: str | None = fields.TextField(null=True)
    reject_reason: str | None = fields.TextField(null=True)
    assignee_platform = fields.CharField(max_length=16, null=True)
    assignee_user_id = fields.BigIntField(null=True)
    assignee_name = fields.CharField(max_length=128, null=True)
    # where the staff card lives
    card_platform = fields.CharField(max_length=16, null=True)
    card_chat_id = fields.BigIntField(null=True)
    card_message_id = fields.BigIntField(null=True)
    card_thread_id = fields.BigIntField(null=True)
    due_soon_notified = fields.BooleanField(default=False)
    overdue_notified = fields.BooleanField(default=False)
    conversation = fields.CharField(max_length=8, default=Conversation.NONE, db_default="")
    conversation_at = fields.DatetimeField(null=True)  # when it was last opened (the newest one is written to)

    class Meta:
        table = "request"

    @property
    def snapshot(self) -> CardSnapshot:
        """`card` read typed (read once per row object; the snapshot never changes)."""
        cached = self.__dict__.get("_snapshot")
        if cached is None or cached[0] is not self.card:
            cached = self.__dict__["_snapshot"] = (self.card, CardSnapshot.model_validate(self.card or {}))
        return cached[1]


class Document(Timestamped):
    """A file kept by the desk: uploaded by a citizen for a form field, or a result file."""

    id = fields.IntField(primary_key=True)
    citizen: fields.ForeignKeyNullableRelation[Citizen] = fields.ForeignKeyField(
        "models.Citizen", related_name="documents", null=True, on_delete=fields.SET_NULL
    )
    citizen_id: int | None
    request: fields.ForeignKeyNullableRelation[Request] = fields.ForeignKeyField(
        "models.Request", related_name="documents", null=True, on_delete=fields.CASCADE
    )
    request_id: int | None
    field = fields.CharField(max_length=64, null=True)  # form field, or null for messages/results
    role = fields.CharField(max_length=16, default="form")  # form | message | result
    kind = fields.CharField(max_length=16)  # pdf, jpg, png, ...
    file_name = fields.CharField(max_length=255)
    size = fields.BigIntField()
    sha256 = fields.CharField(max_length=64)
    path = fields.CharField(max_length=512)  # relative to the document store
    platform = fields.CharField(max_length=16)
    tg_file_id = fields.CharField(max_length=255)
    tg_file_unique_id = fields.CharField(max_length=128, null=True)

    class Meta:
        table = "document"


class RequestEvent(Model):
    """The history of a request: who did what and when (stages, messages, notes...)."""

    id = fields.IntField(primary_key=True)
    request: fields.ForeignKeyRelation[Request] = fields.ForeignKeyField(
        "models.Request", related_name="events", on_delete=fields.CASCADE
    )
    request_id: int
    kind = fields.CharField(max_length=32)
    actor = fields.CharField(max_length=16, default="system")  # citizen | staff | system
    actor_platform = fields.CharField(max_length=16, null=True)
    actor_user_id = fields.BigIntField(null=True)
    actor_name = fields.CharField(max_length=128, null=True)
    stage_code = fields.CharField(max_length=64, null=True)
    text = fields.TextField(null=True)
    data: dict[str, Any] | None = fields.JSONField(null=True)
    public = fields.BooleanField(default=True)  # shown to the citizen
    at = fields.DatetimeField(auto_now_add=True, db_index=True)

    class Meta:
        table = "request_event"
        ordering = ["id"]
