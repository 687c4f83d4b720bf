## Admin reports: /stats, /chart, /export, /audit.

admin-not-allowed = This command is for admins (and supervisors, for their own unit) only.
admin-private-only = This report carries citizens' personal data and is sent only in your private chat with the bot; send the command there.
admin-unit-only = You supervise { $units }; ask for one of them with "unit UNIT_CODE".
admin-bad-args = I did not understand "{ $arg }".
    Examples: <code>/stats season</code>, <code>/stats year unit muni-d5</code>, <code>/stats 1404/01/01-1404/03/31 hq</code>
    Periods: month (this Jalali month), bimonth, season, half, year, or a date range. Scope: unit, agency, service with a code, or hq / line.
admin-bad-date = The date range is not valid. Example: 1404/01/01-1404/03/31
admin-period-month = month
admin-period-bimonth = two-month period
admin-period-season = season
admin-period-half = half-year
admin-period-year = year
admin-period-range = range
admin-scope-all = all units
admin-scope-unit_code = unit { $code }
admin-scope-agency_code = agency { $code }
admin-scope-service_code = service { $code }
admin-scope-hq = headquarters
admin-scope-line = line units
admin-none = —
admin-percent = { $value }%
admin-list-separator = { ", " }
admin-days = { $value } days
admin-stats = 📊 <b>Report for the { $period }</b> — { $scope }
    { $start } to { $end } (previous: { $pstart } to { $pend })

    <b>Requests</b> (now / previous period)
    • Accepted: { $accepted } / { $p_accepted }
    • Answered: { $answered } / { $p_answered }
    • Open at the end of the period: { $open } / { $p_open }
    • Overdue: { $overdue } / { $p_overdue }
    • Mean time from acceptance to answer: { $mean } / { $p_mean }
    • Median time from acceptance to answer, in whole days: { $median } / { $p_median }
    • Answered by the promised date: { $on_time } / { $p_on_time }

    <b>Survey</b> (now / previous period)
    • Questionnaires completed: { $responses } / { $p_responses }
    • Share satisfied ("high" or better): { $satisfied } / { $p_satisfied }
admin-stats-axes = <b>Mean per aspect</b> (out of 4)
admin-stats-items = <b>Mean per question</b> (out of 4)
admin-chart-weeks = Requests accepted per week
admin-chart-week = week { $n }
admin-chart-count = requests
admin-chart-times = Distribution of time from acceptance to answer
admin-chart-days = days
admin-chart-axes = Satisfaction by aspect
admin-chart-mean = mean score (1 to 4)
admin-chart-caption = { $what } — { $period }
admin-export-caption = Requests of the { $period } ({ $count } requests)

export-sheet = Requests
export-code = Tracking code
export-service = Service
export-agency = Agency
export-unit = Unit
export-place = HQ / line
export-place-hq = HQ
export-place-line = line
export-status = Status
export-status-submitted = submitted
export-status-in_progress = in progress
export-status-waiting_citizen = waiting for the citizen
export-status-waiting_inquiry = waiting for an inquiry
export-status-answered = answered
export-status-rejected = rejected
export-submitted = Accepted at
export-promised = Promised date
export-answered = Answered at
export-days = Days to answer
export-answers = Form answers
export-stages = Stages
export-survey-completed = Survey completed at
export-item = Question
export-suggestion = Suggestion

admin-reload-done = ✅ The catalogue was reloaded: { $count } services.
admin-reload-failed = ⚠️ The catalogue could not be loaded; the previous one stays in use:
    <pre>{ $problems }</pre>

## /export: the history of a request, in words.
export-event-submitted = request submitted
export-event-taken = taken by a staff member
export-event-stage = moved to stage
export-event-question = question to the applicant
export-event-inquiry = inquiry
export-event-inquiry_answered = inquiry answered
export-event-result = result delivered
export-event-rejected = request rejected
export-event-transferred = transferred to another unit
export-event-staff_message = staff message
export-event-citizen_message = applicant's message
