## The satisfaction questionnaire (the item texts, axes and scale are in catalog/survey.toml).

survey-invite = 🌟 Request <b>{ $code }</b> ({ $service }) is complete.
    Please help us improve our services by answering a short satisfaction questionnaire. You can leave it half-way at any time and continue later.
survey-remind = ⏰ Reminder: we are still hoping to hear what you think about request <b>{ $code }</b> ({ $service }).
    The questionnaire takes only a few minutes.
survey-start = ⭐️ Start the survey
survey-later = ⏸ Later
survey-back = ↩️ Back
survey-skip = I'd rather not say
survey-finish = ✅ Finish without a suggestion
survey-header = <b>{ $title }</b>
    Request { $code } — { $service }
survey-progress = Step { $step } of { $total }
survey-known = (Your previous answer is marked ✅; press it again or choose another.)
survey-axis = Aspect: <b>{ $axis }</b>
survey-item = Question { $number } of { $total }: <b>{ $text }</b>
survey-scale = { $title }:
survey-suggestion-how = Write your suggestion in one message and send it, or press "Finish without a suggestion".
survey-done = 🙏 Thank you. Your answers have been recorded.
survey-left = The survey for request { $code } ({ $service }) is paused. Whenever you like, press "Survey" on the request's tracking page to continue where you left off.
survey-not-found = No survey was found for this request.
survey-stale = That button belongs to another step; here is the current one.
survey-use-buttons = ✋ The questionnaire is open: please answer with its buttons, or press “Later” to leave it. Your message was not sent anywhere.
survey-text-only = ✋ Please write your suggestion as text, or press the button to finish without one.
