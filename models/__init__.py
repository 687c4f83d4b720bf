"""Tortoise models (no aiogram here)."""

from models.citizen import Citizen
from models.outbox import OutboxMessage, OutboxStatus
from models.request import Document, Request, RequestEvent, RequestStatus
from models.staff import GroupHealth, Role, UnitGroup
from models.survey import Complaint, SurveyAnswer, SurveyResponse
from models.system import FsmRecord, ProcessedUpdate

__models__ = [
    Citizen,
    Request,
    Document,
    RequestEvent,
    UnitGroup,
    Role,
    OutboxMessage,
    SurveyResponse,
    SurveyAnswer,
    Complaint,
    FsmRecord,
    ProcessedUpdate,
]
__all__ = [m.__name__ for m in __models__] + ["RequestStatus", "OutboxStatus", "GroupHealth"]
