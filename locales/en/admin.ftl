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
    • Median time from acceptance to answer: { $median } / { $p_median }
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
admin-audit-caption = E-desk audit form (appendix 2 and appendix 3 table 2) — survey results: { $period }

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

audit-s1-sheet = 1 Place of delivery
audit-s1-title = 1- Where the services for citizens and businesses are delivered at the service desk
audit-s1-results = Evaluation results of part 1
audit-agency = Agency
audit-service-title = Service title
audit-service-code = Service code
audit-service-type = Service type (G2B/G2C)
audit-place = Place of delivery
audit-place-in-person = In-person desk
audit-place-edesk = Electronic desk
audit-place-both = In-person and electronic desk combined
audit-place-outside = Organisational units
audit-not-edesk-reason = Reasons for not offering the service at the electronic desk
audit-total = Total
audit-ratio-in-person = Services at the in-person desk / all services of the agency (percent)
audit-ratio-electronic = Services at the electronic or combined desk / all services (percent)
audit-s3-sheet = 3 Information
audit-s3-title = 3- How the services are made known electronically (electronic or not)
audit-announced-website = Agency website (address of the service's page)
audit-announced-signboard = Signboards at the desk
audit-announced-phone = Phone and call centre
audit-published-stages = Workflow stages
audit-published-documents = Documents required for the service
audit-published-laws = Laws, regulations and by-laws
audit-published-duration = Time to receive the service (from request to delivery)
audit-published-fees = Fees, how they are computed and where they are paid
audit-published-complaint = Complaint procedure
audit-published-responsible = Responsible person and units
audit-published-faq = Frequently asked questions
audit-s5-sheet = 5 Electronic desk
audit-s5-title = 5- Services delivered at the electronic service desk
audit-edesk-service = Service at the electronic desk (electronic / electronic - in person)
audit-edesk-address = Address of the service's electronic page
audit-edesk-upload = Electronic upload of documents
audit-edesk-form = Request through electronic forms
audit-edesk-delivery = Electronic delivery of the service
audit-edesk-tracking-code = Tracking code issued
audit-edesk-stage-tracking = Stages tracked with the tracking code
audit-edesk-notifications = Stage notifications to the citizen
audit-edesk-survey = Electronic survey
audit-has = has
audit-s6-sheet = 6 Survey
audit-responses = Questionnaires completed
audit-row = No.
audit-axis = Aspect
audit-item = Question
audit-count = Answers
audit-mean = Mean (out of 4)
audit-satisfied = Percent satisfied
audit-axis-mean = Aspect mean
audit-t2-sheet = Appendix 3 table 2
audit-t2-title = Table 2- Report of agency headquarters to the Administrative and Recruitment Organisation
audit-agency-title = Agency
audit-parent-title = Parent agency
audit-services-total = Total services (G2C and G2B)
audit-t2-in-person = Services at the in-person desk
audit-t2-edesk = Services at the electronic desk
audit-t2-both = Services at the combined desk
audit-t2-outside = Services outside the desk (directly at the units)
admin-reload-done = ✅ The catalogue was reloaded: { $count } services.
admin-reload-failed = ⚠️ The catalogue could not be loaded; the previous one stays in use:
    <pre>{ $problems }</pre>
