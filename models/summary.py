from tortoise import fields
from tortoise.models import Model

# Report summaries (desk/summaries.py keeps them in the transaction of each change; desk/reports.py
# reads them). A row belongs to one local day (Asia/Tehran) and one scope: the whole desk (dim ""
# and code ""), a unit ("unit"), an agency ("agency"), a service ("service") or a place ("place":
# hq | line). Each counter is kept twice: per day (span "d") and per Jalali month (span "m", `day`
# its first day), so a report reads the months inside its period and the days at its edges
# instead of every request.


class DaySummary(Model):
    """Request and survey counters of one day and scope."""

    id = fields.BigIntField(primary_key=True)
    dim = fields.CharField(max_length=8)
    code = fields.CharField(max_length=64)
    span = fields.CharField(max_length=1)  # d: one day | m: the Jalali month starting on `day`
    day = fields.DateField()
    submitted = fields.IntField(default=0)  # requests accepted that day
    due = fields.IntField(default=0)  # requests whose later of acceptance day and promised date is this day
    answered = fields.IntField(default=0)  # requests answered (or rejected) that day
    on_time = fields.IntField(default=0)  # ... of them on or before their promised date
    answer_ms = fields.BigIntField(default=0)  # ... their answer times, summed, in milliseconds
    settled = fields.IntField(default=0)  # requests whose later of answer day and promised date is this day
    surveys = fields.IntField(default=0)  # questionnaires completed that day
    # requests accepted that day already past their promised date (with today's row, today's overdue)
    submitted_late = fields.IntField(default=0, db_default=0)

    class Meta:
        table = "report_day"
        unique_together = (("dim", "code", "span", "day"),)


class AnswerTimeSummary(Model):
    """How many requests answered that day took `days` whole days (the median and the histogram)."""

    id = fields.BigIntField(primary_key=True)
    dim = fields.CharField(max_length=8)
    code = fields.CharField(max_length=64)
    span = fields.CharField(max_length=1)  # d: one day | m: the Jalali month starting on `day`
    day = fields.DateField()
    days = fields.IntField()
    n = fields.IntField(default=0)

    class Meta:
        table = "report_answer_time"
        unique_together = (("dim", "code", "span", "day", "days"),)


class ScoreSummary(Model):
    """How many questionnaires completed that day gave `item` the score `score`."""

    id = fields.BigIntField(primary_key=True)
    dim = fields.CharField(max_length=8)
    code = fields.CharField(max_length=64)
    span = fields.CharField(max_length=1)  # d: one day | m: the Jalali month starting on `day`
    day = fields.DateField()
    item = fields.IntField()
    axis = fields.CharField(max_length=32)
    score = fields.IntField()
    n = fields.IntField(default=0)

    class Meta:
        table = "report_score"
        unique_together = (("dim", "code", "span", "day", "item", "axis", "score"),)
