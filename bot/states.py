"""FSM states (kept in the database or Redis, so a restart loses nothing)."""

from aiogram.fsm.state import State, StatesGroup


class ProfileStates(StatesGroup):
    name = State()
    national_id = State()
    mobile = State()


class FormStates(StatesGroup):
    filling = State()
    review = State()
    paused = State()  # left by a command or the menu: the draft is kept, text is a search again


class StaffStates(StatesGroup):
    input = State()  # a staff member typing a reason, a question, a result... (data: request, action, step)


class ConversationStates(StatesGroup):
    replying = State()  # a citizen writing to the staff about a request (data: request)


class SurveyStates(StatesGroup):
    suggestion = State()  # the questionnaire's closing free text (data: survey_request)
    answering = State()  # a questionnaire open at a button step: text gets a hint (data: survey_request)


class ComplaintStates(StatesGroup):
    text = State()  # a citizen writing a complaint (data: complaint_request)
    answer = State()  # a supervisor/admin writing the answer (data: complaint)
