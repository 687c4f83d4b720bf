## When the desk cannot reach a chat: a unit's group the bot lost, a citizen who blocked the bot

group-health-lost =
    ⚠️ <b>Unit “{ $unit }” has no working group</b> (<code>{ $code }</code>)
    The bot can no longer post in “{ $group }”: { $reason } (since { $since }).
    New requests' cards and the unit's notifications are kept and will be delivered once the bot is back in that group, or once an admin binds another group with /bind { $code }.
group-health-limited =
    ⚠️ <b>The bot is no longer an administrator of “{ $group }”</b>, the group of unit “{ $unit }” (<code>{ $code }</code>): { $reason }.
    Cards still arrive, but the bot may not see staff's typed answers unless they reply to its messages. Make the bot an administrator again to fix this.
group-health-back = ✅ The bot can post again in “{ $group }”, the group of unit “{ $unit }” (<code>{ $code }</code>); what waited is being delivered.
group-health-reminder =
    ⏰ <b>Reminder: unit “{ $unit }” still has no working group</b> (<code>{ $code }</code>)
    The bot cannot post in “{ $group }” since { $since }: { $reason }. Its requests are waiting. Add the bot back to the group, or bind another group with /bind { $code }.

group-reason-left = the bot was removed from the group
group-reason-kicked = the bot was banned from the group
group-reason-restricted = the bot may not send messages there
group-reason-demoted = the bot was demoted from administrator

groups-title = <b>Units and their groups</b>
groups-line-none = • { $unit } (<code>{ $code }</code>): ❌ no group bound
groups-line-ok = • { $unit } (<code>{ $code }</code>): ✅ “{ $group }” ({ $platform })
groups-line-lost = • { $unit } (<code>{ $code }</code>): ⚠️ “{ $group }” ({ $platform }) unreachable since { $since }: { $reason }
groups-line-limited = • { $unit } (<code>{ $code }</code>): ⚠️ “{ $group }” ({ $platform }) the bot is not an administrator since { $since }: { $reason }

staff-citizen-unreachable = ⚠️ This did not reach the applicant of request { $code }, who has blocked the bot: { $what }. It will be delivered if they come back to the bot.
staff-sent-unreachable = ⚠️ Recorded, but it did not reach the applicant: they have blocked the bot. It will be delivered if they come back to the bot.
