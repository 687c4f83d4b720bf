"""Tortoise models (no aiogram here)."""

from models.audit import AuditDeclaration, AuditEvaluation, DeskAssessment
from models.citizen import Citizen
from models.outbox import OutboxMessage, OutboxStatus
from models.payment import Payment, PaymentStatus
from models.request import Channel, Conversation, Document, Request, RequestEvent, RequestStatus
from models.staff import GroupHealth, Role, UnitGroup
from models.summary import AnswerTimeSummary, DaySummary, ScoreSummary
from models.survey import Complaint, SurveyAnswer, SurveyResponse
from models.system import FsmRecord, InboxUpdate, ProcessedUpdate

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
    InboxUpdate,
    DeskAssessment,
    AuditDeclaration,
    AuditEvaluation,
    DaySummary,
    AnswerTimeSummary,
    ScoreSummary,
    Payment,
]
__all__ = [m.__name__ for m in __models__] + [
    "RequestStatus",
    "OutboxStatus",
    "GroupHealth",
    "Channel",
    "Conversation",
    "PaymentStatus",
]
