## Complaints about a request.

complaint-write = 📣 Write your complaint about request <b>{ $code }</b> in one message and send it.
    It reaches the officials of the unit handling it, and you will get the answer here.
complaint-too-long = The complaint is too long; write at most { $max } characters.
complaint-lodged = ✅ Complaint no. { $number } about request { $code } has been recorded. You will get the answer here.
complaint-new = 📣 <b>Complaint no. { $number }</b>
    Request { $code } — { $service }
    Unit: { $unit }
    From: { $name }

    { $text }
complaint-answer-btn = ✍️ Answer the complaint
complaint-answer-write = Write the answer to complaint no. { $number } in one message and send it.
complaint-answer-sent = ✅ The answer to complaint no. { $number } has been sent to the citizen.
complaint-already = This complaint has already been answered ({ $name }).
complaint-not-allowed = You are not allowed to answer this complaint.
complaint-answered = 📬 <b>Answer to complaint no. { $number }</b> (request { $code })
    Your complaint: <i>{ $text }</i>

    { $answer }
complaint-cancelled = No complaint was lodged.
