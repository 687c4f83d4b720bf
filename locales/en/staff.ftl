# Staff in unit groups: the request card, actions, the conversation with the citizen, promised dates; and the citizen's notifications

## The request card
staff-card =
    🗂 <b>Request { $code }</b>
    Service: { $service }
    Status: <b>{ $status }</b> · Stage: { $stage }
    Handled by: { $assignee }
    Submitted: { $submitted } · Promised: { $promised }{ $overdue ->
        [yes] {" "}⚠️ <b>overdue</b>
       *[no] {""}
    }
    Applicant: { $citizen } · National ID: { $national_id } · Mobile: { $mobile }
staff-card-thread-open = 💬 Conversation open: the applicant's messages come here
staff-card-thread-left = 💬 Conversation open; the applicant stepped out of it (their messages are theirs until they return)
staff-card-answers = <b>Form answers</b>
staff-card-result = <b>Result:</b> { $text }
staff-card-rejected = <b>Reason for rejection:</b> { $reason }
staff-card-history = <b>History</b>
staff-card-moved = ↪️ This request is now with “{ $unit }”; this card is no longer updated.
staff-card-files = 📎 Documents of request { $code }
staff-nobody = nobody yet

staff-event-submitted = submitted
staff-event-taken = taken
staff-event-stage = moved to stage
staff-event-question = question to the applicant
staff-event-inquiry = inquiry
staff-event-inquiry_answered = inquiry answered
staff-event-result = result delivered
staff-event-rejected = rejected
staff-event-note = internal note
staff-event-transferred = transferred
staff-event-staff_message = message to the applicant
staff-event-citizen_message = message from the applicant

staff-btn-take = 🙋 Take
staff-btn-stage = ⏭ Next stage: { $stage }
staff-btn-ask = ❓ Ask the applicant
staff-btn-inquiry = 🏛 Record an inquiry
staff-btn-inquiry-done = ✅ Inquiry answered
staff-btn-deliver = 📤 Deliver the result
staff-btn-reject = ⛔️ Reject
staff-btn-note = 📝 Internal note
staff-btn-transfer = ↪️ Transfer to another unit
staff-btn-refresh = 🔄 Refresh
staff-btn-docs = 📎 Documents ({ $count })
staff-btn-back = ↩️ Back
staff-btn-send = ✅ Send the result
staff-btn-cancel = ✖️ Cancel

## The conversation and promised dates in the group
staff-citizen-says = 💬 { $name } about request { $code }:
staff-due-soon = ⏰ Request { $code } ({ $service }) is due in one working day: { $promised }. Handled by: { $assignee }
staff-due-overdue = ❗️ Request { $code } ({ $service }) is overdue since { $promised }. Handled by: { $assignee }

## Answers to staff
staff-denied = You may not do this: the request is not your unit's, or you are not in its unit's group.
staff-taken-by = { $name } has taken this request.
staff-taken-ok = The request is yours.
staff-stage-ok = Moved to the next stage; the applicant was told.
staff-transfer-ok = The request was transferred.
staff-outcome-already = That was already done; the card is up to date.
staff-outcome-closed = This request is closed.
staff-outcome-taken = Someone else has taken this request.
staff-outcome-same-unit = The request is already with this unit.
staff-outcome-no-stage = That stage is not in this service's workflow.
staff-docs-sent = The documents are on their way to your private chat with the bot.
staff-docs-start = Documents go to your private chat with the bot: open it, press Start, then press this button again.
staff-cancelled = Cancelled.
staff-ask-question = { $name }, write your question to the applicant of request { $code } (as a reply to this message):
staff-ask-inquiry-to = { $name }, which agency is the inquiry for request { $code } sent to?
staff-ask-inquiry-what = What is the inquiry about?
staff-ask-inquiry-answer = { $name }, summarise the inquiry's answer for request { $code }:
staff-ask-reason = { $name }, write the reason for rejecting request { $code }; the applicant will receive it:
staff-ask-note = { $name }, write the internal note for request { $code } (never shown to the applicant):
staff-ask-result = { $name }, send the result's text and/or files for request { $code }, then press “Send the result”:
staff-result-collected = Received so far: { $files } files and { $texts } texts. Press “Send result” when it is complete.
staff-result-empty = You have not sent any text or file for the result yet.
staff-text-only = Please write text.
staff-ask-ok = The question was sent to the applicant.
staff-inquiry-ok = The inquiry was recorded and the applicant was told.
staff-inquiry_done-ok = The inquiry's answer was recorded.
staff-reject-ok = The request was rejected and the reason sent to the applicant.
staff-note-ok = Note recorded.
staff-deliver-ok = The result was sent to the applicant.
staff-message-sent = The message was sent to the applicant.

## Admin commands
staff-admins-only = This command is for admins only.
unit-bind-usage = Give the unit's code, e.g. <code>/bind tm-district-6</code>. Units:
unit-bound = ✅ This group now serves “{ $unit }” ({ $code }); its requests arrive here.{ $moved ->
    [yes] {" "}The unit's previous group no longer receives requests.
   *[no] {""}
}{ $any_cards ->
    [yes] {" "}The cards of { $cards } open requests are on their way.
   *[no] {""}
}
unit-unbound = This group no longer serves { $units }.
unit-not-bound = This group serves no unit.
staff-role-usage = Usage: <code>/grant USER_ID admin</code>, <code>/grant USER_ID supervisor UNIT_CODE</code> or, for a province's evaluator, <code>/grant USER_ID evaluator PROVINCE</code> (and the same with /revoke).
staff-granted = { $user } is now { $role } ({ $unit }).
staff-revoked = { $user } is no longer { $role } ({ $unit }).
staff-role-none = { $user } was not { $role } ({ $unit }).
staff-overdue-none = No request is near or past its promised date.
staff-overdue-title = <b>Requests near or past their promised date</b>
staff-overdue-late = ❗️ { $code } — { $service } — due { $promised } ({ $days } working days late) — { $assignee }
staff-overdue-soon = ⏰ { $code } — { $service } — due { $promised } — { $assignee }

## The citizen's notifications
notify-taken = 🔎 Request { $code } ({ $service }) is now being handled by an officer.
notify-stage = ⏭ Request { $code } ({ $service }) has reached the stage “{ $stage }”.
notify-question =
    ❓ The officer has a question about request { $code } ({ $service }):
    { $text }

    Press “Reply to the officer”, or simply write here.
notify-inquiry = 🏛 For request { $code } ({ $service }) an inquiry was sent to “{ $to }”: { $what }. Work continues once it is answered.
notify-inquiry_answered = 🏛 The inquiry for request { $code } ({ $service }) was answered; work continues.
notify-result =
    ✅ The result of request { $code } ({ $service }):
    { $text }
notify-result-empty = ✅ Request { $code } ({ $service }) has been answered; the result's files follow.
notify-result-files = 📎 Result files of request { $code }
notify-rejected =
    ⛔️ Request { $code } ({ $service }) was rejected.
    Reason: { $text }
notify-transferred = ↪️ Request { $code } ({ $service }) was passed to “{ $unit }” for handling.
notify-staff_message = 💬 A message from the officer about request { $code } ({ $service }):
notify-btn-reply = ✍️ Reply to the officer
notify-reply-prompt = Write your answer about request { $code }, or send files and photos:
notify-reply-sent = ✅ Your message was sent to the officer of request { $code }.
notify-reply-closed = This request is closed; no message can be sent about it.
notify-reply-kinds = Only text, files or photos can be sent.

## A request's status on its card, as staff read it (whose turn it is).
staff-status-submitted = new; nobody has taken it yet
staff-status-in_progress = in progress
staff-status-waiting_citizen = waiting for the citizen's answer
staff-status-waiting_inquiry = waiting for the inquiry's answer
staff-status-answered = answered
staff-status-rejected = rejected
staff-prompt-not-yours = This prompt is not yours, or it is already closed.
staff-btn-repost = 🔁 Card { $code }
staff-reposted = The card is posted again at the bottom of the group.
staff-repost-no-group = This unit has no group to post the card in.
staff-repost-usage = Usage: <code>/repost TRACKING_CODE</code> — the card of a request of this group's units is posted again at the bottom.
staff-card-reposted-below = The card of request { $code } was posted again at the bottom of the group; use that one.
## Ending a conversation
thread-close = ✖️ Close the conversation
thread-closed-ok = Conversation closed; the citizen's messages no longer come here.
thread-closed-already = This conversation was already closed.
staff-event-conversation_closed = conversation closed
notify-conversation_closed = 💬 The staff closed the conversation about request { $code } ({ $service }); your next messages do not reach them. To write again, press “Write about this request” on the request's page.
