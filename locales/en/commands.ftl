## The messenger's command menu and /help, per role

cmd-start = Main menu
cmd-track = Follow a request by its tracking code
cmd-mine = My requests
cmd-profile = My details
cmd-cancel = Cancel what you are doing
cmd-lang = Change language / زبان
cmd-help = Help
cmd-overdue = Requests near or past their promised date
cmd-bind = Bind this group to a unit
cmd-unbind = Unbind this group
cmd-groups = Units' groups and their health
cmd-stats = Request statistics
cmd-chart = Statistics chart
cmd-export = Requests as a spreadsheet
cmd-audit = Audit forms
cmd-grant = Give a user a role
cmd-revoke = Take a role from a user
cmd-reload = Reload the service cards
cmd-args-track = CODE
cmd-args-bind = UNIT_CODE
cmd-args-stats = [month|season|year] [unit CODE]
cmd-args-grant = USER_ID admin|supervisor [UNIT]
cmd-args-revoke = USER_ID admin|supervisor [UNIT]

help-line = • { $command } — { $text }
help-citizen-title = <b>Service desk help</b>
help-citizen-typing = • Type a service's name or a keyword to search; send a tracking code to see its request.
help-admin-title = <b>Admin commands</b>
help-supervisor-title = <b>Unit supervisor commands</b>
help-staff-title = <b>Staff help in a unit's group</b>
help-staff-how = Work with the buttons of each request's card; to write to the applicant, reply to the card. The applicant's messages come under the card; “Close the conversation” ends them.
