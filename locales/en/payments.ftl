## Fees paid in the chat: the invoice, the form's Pay button, pre-checkout answers, payments on receipts and cards.

pay-price-label = Fee
pay-invoice-title = Fee: { $service }
pay-invoice-description = The fee of “{ $service }”, paid to the agency through the desk.
review-pay = 💳 Pay { $amount } rials and submit
review-fee = 💳 Fee: { $amount } rials, paid here in the chat. The form is submitted once it is paid.
pay-first = This service's fee is paid before the form is submitted: use the “Pay” button of the review.
pay-kept = 💳 The invoice for { $amount } rials is below. Your form is kept until it is paid: it is submitted as soon as the payment goes through.
    If the payment is declined or you leave it, nothing is charged; press “Pay again” whenever you are ready, or edit the form.
pay-again = 💳 Pay again
pay-edit = ✏️ Back to the form
pay-refused-unknown = This invoice is not one of this desk's.
pay-refused-paid = This fee has already been paid.
pay-refused-form-gone = This form is no longer open (submitted or discarded).
pay-refused-amount = The fee has changed since this invoice was sent; please pay the new invoice.
pay-refused-request-gone = This request is closed or is not yours.
pay-nothing-charged = Nothing was charged. Your form, if open, is kept.
pay-orphan = Your payment was received (charge { $charge }), but the form it was for is no longer open. Please contact the desk with this charge number.
pay-received = ✅ Payment received: { $amount } rials for request { $code } ({ $service }). Charge: { $charge }
pay-heading = 💳 <b>Payments</b>
pay-line = • { $amount } rials — { $at } — charge { $charge }
pay-line-refunded = (refunded { $at })
pay-stage-invoice = 💳 Your request { $code } ({ $service }) reached the stage “{ $stage }”. Its fee of { $amount } rials is paid here in the chat: use the invoice below.
pay-stage-instructions = 💳 Your request { $code } ({ $service }) reached the stage “{ $stage }”. Its fee of { $amount } rials is due now:
    { $how }
pay-stage-how = { $how } (account: { $account })
staff-card-payments = 💳 Payments:
staff-btn-refund = ↩️ Record a refund
staff-refund-done = The refund is recorded.
staff-refund-none = There is no payment to refund.
staff-event-paid = fee paid
staff-event-refunded = refund recorded
notify-refunded = ↩️ The fee you paid for request { $code } ({ $service }) was refunded.
stats-paid = 💳 Paid in the chat: { $amount } rials ({ $count } payments, { $refunded } rials refunded)
staff-refund-confirm = ↩️ Yes, the fee was refunded: record it
export-paid = Paid in the chat (rials)
export-refunded = Refunded (rials)
export-charges = Payment charge ids
