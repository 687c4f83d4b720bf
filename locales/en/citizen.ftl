## The citizen's journey: menu, catalogue, information package, profile, form, receipt, tracking.

start-greeting = Hello { $name }, welcome to the <b>electronic service desk</b>. 🌷
    Here you can read about government services, submit requests with their documents and follow every stage.
    To search, just type a service's name; to track a request, send its tracking code.
menu-resume = ▶️ Continue my unfinished form
menu-discard = 🗑 Discard the form
menu-paused-form = 📝 Your form “{ $service }” is unfinished ({ $count } answers). Continue it or discard it; until then, whatever you type is a search.
menu-catalog = 📚 Services
menu-mine = 📄 My requests
menu-profile = 👤 My profile
menu-help = ❓ Help
menu-lang = 🌐 زبان / Language
nav-prev = ◀️ Previous
nav-next = Next ▶️
nav-page = { $page } of { $pages }
nav-menu = 🏠 Main menu
nav-back = ↩️ Back
list-separator = {", "}
decimal-separator = .
thousands-separator = ,
lang-name-fa = فارسی
lang-name-en = English
lang-choose = زبان را انتخاب کنید / Choose your language:
lang-set = The language is now English.
cancelled = Cancelled. Continue from the main menu whenever you like.
nothing-to-cancel = Nothing is in progress.
unknown-input = Sorry, I did not understand. Use the buttons or send /help.
button-expired = This button is no longer valid. Please continue from the main menu.

catalog-agencies = <b>Services</b>
    Choose an agency:
catalog-services = <b>{ $agency }</b>
    { $count } services. Choose one:
search-none = No service matches “{ $query }”. Try another word or browse the services.
search-found = { $count } services found for “{ $query }” (best matches first):
search-expired = These results are out of date; type your search again.

info-main = { $description }

    🏛 Agency: { $agency }
    ⏱ Takes: { $duration } working days
    🚶 In-person visits: { $visits }
    💳 Fee: { $fee } rials
    🔁 { $stages } stages, { $electronic } electronic
    Service type: { $type }

    Use the buttons for the details.
info-btn-main = ℹ️ About the service
info-btn-stages = 🔁 Workflow stages
info-btn-documents = 📎 Required documents
info-btn-laws = ⚖️ Laws and regulations
info-btn-faq = ❔ FAQ
info-btn-fees = 💳 Fees
info-btn-complaint = 📣 Complaint procedure
info-btn-contact = 🏢 Responsible unit and hours
info-btn-apply = ✅ Request this service
info-none = Nothing listed.
info-stage = { $n }. { $title } — { $electronic ->
        [true] 🌐 electronic ({ $channel })
       *[false] 🏢 in person ({ $channel })
    }
info-fees = Amount: { $amount } rials
    How it is computed and paid: { $how }
    Account: { $account }
    Online payment: { $epayment ->
        [true] available
       *[false] not available
    }
info-contact = Responsible unit: { $unit }
    Person responsible: { $person }
    Access hours: { $hours }
    Web address: { $web }
channel-internet = internet
channel-email = e-mail
channel-ivr = IVR / call centre
channel-sms = SMS
channel-other = other
channel-none = —
why-not-identity_check = identity check in person
why-not-authenticity_check = document authenticity check
why-not-no_infrastructure = no infrastructure
why-not-other = other reasons
why-not-none = —

profile-view = <b>My profile</b>
    Full name: { $name }
    National ID: { $national_id }
    Mobile: { $mobile }
profile-missing = not set
profile-edit-name = ✏️ Name
profile-edit-national-id = ✏️ National ID
profile-edit-mobile = ✏️ Mobile
profile-intro = Before the form, your details are recorded once; later requests will not ask for them again.
profile-ask-name = Please type your full name:
profile-ask-national-id = Please type your 10-digit national ID:
profile-ask-mobile = Send your mobile number with the “Share my number” button, or type it (e.g. 09121234567):
profile-saved = ✅ Profile saved.
share-contact = 📱 Share my number
share-location = 📍 Share my location

form-intro = <b>Request form: { $service }</b>
    { $count } questions. You can go back or cancel at any step; if you leave, your answers are kept.
form-none = No form is in progress. Choose a service from the main menu.
form-question = <b>{ $step } of { $total } — { $label }</b>{ $optional ->
        [true] { " " }(optional)
       *[false] {""}
    }
    { $help }
    <i>{ $hint }</i>
form-skip = ⏭ Skip
form-back = ◀️ Back
form-cancel = ✖️ Cancel
form-done = ✔️ Done
form-location-button = Send the location with the button below.
form-mobile-button = You can share the number with the button below, or type it.
form-skipped = ⏭ Skipped.
form-going-back = ◀️ Back to the previous question.
form-contact-received = Number received.
form-location-received = Location received.
form-file-received = File “{ $name }” received ({ $count } of { $max }). Send another or press “Done”.
hint-text = Type your answer (at most { $limit } characters).
hint-longtext = Type the description (at most { $limit } characters).
hint-number = Type a number.
hint-date = Type the date as 1404/02/15 (Jalali).
hint-national_id = Type the 10-digit national ID.
hint-mobile = Type the mobile number (e.g. 09121234567).
hint-postal_code = Type the 10-digit postal code.
hint-choice = Choose one of the options.
hint-multichoice = Choose the options that apply, then press “Done”.
hint-yesno = Choose “Yes” or “No”.
hint-document = Send the file ({ $kinds }, at most { $size } MB, up to { $count } files).
hint-photo = Send the photo (at most { $size } MB).
hint-location = Send the location with the “Share my location” button.
review = <b>Review your request: { $service }</b>

    { $lines }

    If everything is right, press “Submit”; to correct an answer, press its button.
review-line = • <b>{ $label }</b>: { $value }
review-edit = ✏️ { $label }
review-submit = ✅ Submit
review-missing = ⚠️ These required answers are still missing: { $fields }
answer-empty = —
answer-yes = Yes
answer-no = No
answer-files = 📎 { $count } file(s) { $names }
answer-location = 📍 { $lat }, { $lon }

receipt = 🧾 <b>Electronic receipt</b>
    Tracking code: <code>{ $code }</code>
    Service: { $service }
    Submitted: { $submitted }
    Promised answer date: { $promised }

    { $reached ->
        [yes] Your request was sent to the responsible unit. You will be told about every stage in this chat. To follow it, send the tracking code or open “My requests”.
       *[no] Your request is registered, but the responsible unit cannot receive it at the moment; it will reach them as soon as it can. You will be told about every stage in this chat. To follow it, send the tracking code or open “My requests”.
    }
receipt-again = This form was already submitted; here is the receipt of that request:
receipt-view = 🔎 View the request

track-view = <b>Request { $code }</b>
    Service: { $service }
    Status: { $status }
    Submitted: { $submitted }
    Promised answer date: { $promised }

    <b>Stages:</b>
    { $stages }
track-answered = Answered: { $at }
track-result = <b>Result:</b>
    { $result }
track-rejected = <b>Reason for rejection:</b>
    { $reason }
track-messages = <b>Latest messages:</b>
track-refresh = 🔄 Refresh
track-complain = 📣 Lodge a complaint
track-survey = ⭐️ Rate the service
track-not-found = No request with this tracking code was found. Please check the code.
track-usage = Write the tracking code after /track, or just send the code.
mine-title = <b>My requests</b> ({ $count })
mine-empty = You have not submitted any request yet.
mine-item = { $code } · { $service } · { $status }
status-submitted = submitted
status-in_progress = in progress
status-waiting_citizen = waiting for you
status-waiting_inquiry = waiting for an inquiry
status-answered = answered
status-rejected = rejected

error-national-id-format = A national ID has 10 digits. Please type it again:
error-national-id-repeated = A national ID cannot be one repeated digit. Please type it again:
error-national-id-checksum = This national ID is not valid (its check digit is wrong). Please type it again:
error-mobile-format = This mobile number is not valid; type it like 09121234567:
error-mobile-not-iranian = Only an Iranian mobile number is accepted; please type it (e.g. 09121234567):
error-postal-code-format = A postal code has 10 digits. Please type it again:
error-postal-code-invalid = This postal code is not valid. Please type it again:
error-number-format = Please type a number:
error-number-not-integer = Please type a whole number:
error-number-too-small = The number must not be less than { $min }:
error-number-too-large = The number must not be more than { $max }:
error-date-format = Type the date as 1404/02/15:
error-date-invalid = That date does not exist in the calendar. Please type it again:
error-date-too-early = The date must not be before { $min }:
error-date-too-late = The date must not be after { $max }:
error-too-long = The text is too long; at most { $max } characters. Please shorten it:
error-empty = The answer is empty. Please type it again:
error-choice-invalid = Please choose one of the options.
error-choice-too-few = Choose at least { $min } options.
error-choice-too-many = Choose at most { $max } options.
error-use-buttons = Please use the buttons.
error-required = This question must be answered.
error-file-too-big = The file is larger than { $size } MB. Please send a smaller file:
error-file-type = This file type is not accepted; only { $kinds }. Please send another file:
error-file-download = The file could not be received. Please send it again:
error-not-own-contact = Only your own number is accepted; use the “Share my number” button.
error-send-text = Please type your answer as text.
error-send-document = Please send the file.
error-send-photo = Please send the photo.
error-send-location = Please send the location with the “Share my location” button.
error-unexpected = That does not answer this question.
track-typo = This tracking code is not right; a digit was probably mistyped. Please check the code.

## Pausing and discarding a form
form-discard-confirm = The form “{ $service }” has { $count } answers. Discard them all?
form-discard-yes = 🗑 Yes, discard
form-discard-no = ↩️ No, keep filling it
form-discarded = The form was discarded with its answers and files.
profile-cancelled = Cancelled; what you entered so far is kept. Continue from the main menu whenever you like.

## The in-person desk: staff register a walk-in citizen's request (/walkin).
walkin-usage = Usage: <code>/walkin SERVICE_CODE</code> — fill in the service's form for a citizen who came to the desk in person.
walkin-staff-only = Only the staff of the unit that delivers this service (members of its group), its supervisors and admins can register in person.
walkin-intro = <b>In-person registration: { $service }</b>
    Enter the citizen's answers ({ $count } questions); send the documents they brought here. Once submitted, hand them the receipt.
walkin-registered = { $messenger ->
    [yes] The request is registered in person; the receipt and tracking code also go to the citizen's messenger.
   *[false] The request is registered in person. Print the receipt above or give the citizen the tracking code; they have no messenger account with this national ID.
}
notify-submitted = Your request for “{ $service }” was registered at the in-person desk. Tracking code: { $code }

## The conversation with staff
track-write = ✍️ Write about this request
track-from-citizen = You
track-from-staff = Staff
track-message-files = (📎 { $count } files)
track-message-line = • { $at } — <b>{ $who }</b>: { $text }
track-conversation-open = 💬 The conversation with staff is open: press “Write about this request” to send them messages.
thread-prompt = ✍️ You are now writing about request { $code } ({ $service }): every text, file, photo or voice message you send reaches its staff, until they close the conversation or you leave it.
thread-sent = ✅ Sent to the staff of request { $code } ({ $service }). Your next messages go to this request too.
thread-left = You left the conversation about request { $code }; from now on, what you type is a search. To write again, press “Write about this request” on the request's page.
thread-leave = 🚪 Leave the conversation
thread-switch = 🔀 Another request
thread-switch-to = { $code } · { $service }
thread-switch-which = Which request are you writing about?
thread-no-other = You have no other open conversation.
thread-closed-by-staff = The staff closed this conversation, so your message was not sent. To write again, press “Write about this request” on the request's page.

## Limits
limit-messages = Your messages are arriving very fast. Please wait { $seconds } seconds and send again.
limit-tracking = Too many tracking-code look-ups. Please try again in { $seconds } seconds.
error-open-requests = You already have { $max } open requests for this service; a new one can be filed once one of them is answered. See them in "My requests".
error-complaints-limit = You have filed { $max } complaints about this request; no more can be filed.
error-storage-request = This request's files would exceed { $mb } MB; send a smaller file.
error-storage-citizen = All your files together would exceed { $mb } MB; this file was not kept.
error-files-full = This question takes at most { $max } files and has them all; press "Done".

# an edited message
form-answer-changed = Your answer to “{ $label }” now reads as edited.
form-edit-on-review = Edits of earlier messages are not read. To change an answer, press its ✏️ button on the review screen before you submit.
edit-not-read = Edited messages are not read; please send it again as a new message.
