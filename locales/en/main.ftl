# Dauys citizen app — English.
# Message ids must be identical in kk, ru and en (checked by tests/i18n).

app-name = Dauys
language-name = English
choose-language = Choose your language
loading = Loading…
continue = Continue
back-to-list = ← Back to the list
skip-to-content = Skip to content

## Formatting
money = ₸{ $amount }
date = { $day } { $month } { $year }
datetime = { $date }, { $time }
month-1 = January
month-2 = February
month-3 = March
month-4 = April
month-5 = May
month-6 = June
month-7 = July
month-8 = August
month-9 = September
month-10 = October
month-11 = November
month-12 = December

## Sign-in and first start
signin-title = Sign in
signin-intro = Enter your IIN. We will send a one-time code by SMS to the phone number registered for you.
signin-server = Server
signin-server-label = Server address
signin-server-hint = Leave as it is unless your akimat gave you another address.
signin-iin = IIN (12 digits)
signin-iin-hint = Your individual identification number, as on your ID card.
signin-get-code = Get a code
signin-code-sent = We sent a code to { $phone }.
signin-code-sent-unknown = If this IIN is registered here, a code was sent to its phone.
signin-code = One-time code from the SMS
signin-verify = Sign in
signin-resend = Send a new code
signed-out = You are signed out.
kiosk-signed-out-idle = You were signed out because nobody used the app for a while. Your data is safe.
locality-title = Your locality
locality-intro = Choose the town or village whose budget and appeals you want to follow. You can change it later.
locality-label = Locality

## Connection banner
conn-online = Online
conn-online-synced = Online · last synced { $time }
conn-offline = Offline — your actions are kept on this device
conn-offline-since = Offline since { $time } — your actions are kept on this device
conn-syncing = Sending… { $sent } sent
sync-now = Sync now
outbox-waiting = { $count ->
    [0] Nothing waiting to be sent
    [one] { $count } action waiting to be sent
   *[other] { $count } actions waiting to be sent
}

## Navigation
nav-label = Main menu
nav-home = Home
nav-proposals = Proposals
nav-appeals = Appeals
nav-outbox = Outbox
nav-settings = Settings

## Home
home-cycles = People's budget
home-no-cycles = There is no budget cycle open in your locality right now.
home-appeals = My appeals
home-no-appeals = You have no appeals yet.
cycle-budget = Budget: { $amount }
cycle-proposals = Proposals
cycle-vote = Vote
cycle-results = Results
phase-until = until { $date } ({ $days ->
    [0] ends today
    [one] { $days } day left
   *[other] { $days } days left
})
phase-collecting = Collecting proposals
phase-moderation = Moderation
phase-expert-review = Expert review
phase-voting = Voting
phase-tallying = Counting votes
phase-implementation = Being built
phase-closed = Closed

## Proposals
proposals-title = Proposals
proposals-search = Search
proposals-category = Category
proposals-category-all = All categories
proposals-count = { $count ->
    [0] No proposals found
    [one] { $count } proposal
   *[other] { $count } proposals
}
proposal-title = Proposal
proposal-cost = Cost
proposal-expert-cost = Experts' estimate
proposal-expert-note = Experts' note
proposal-location = Location
map-open = Open on map (OpenStreetMap, in your browser)
map-open-failed = The browser could not be opened. The map address:
proposal-votes = Votes
proposal-progress = Progress
proposal-history = History
proposal-status-submitted = Submitted
proposal-status-in-moderation = Being checked
proposal-status-needs-changes = Needs changes
proposal-status-rejected = Rejected
proposal-status-accepted = Accepted
proposal-status-expert-review = Expert review
proposal-status-on-ballot = On the ballot
proposal-status-selected = Selected
proposal-status-not-selected = Not selected
proposal-status-in-implementation = Being built
proposal-status-done = Done
proposal-status-withdrawn = Withdrawn
category-accessibility = Accessibility
category-children = Children
category-culture = Culture
category-ecology = Ecology and greenery
category-safety = Safety
category-sport = Sport
category-transport = Transport and roads
category-education = Education
category-health = Health
category-other = Other
comments-title = Comments
comments-none = No comments yet.
comment-hidden = Hidden by a moderator.
comment-hidden-reason = Hidden by the moderator: { $reason }
comment-add = Your comment
comment-send = Send comment

## Ballot
ballot-title = Ballot
ballot-rules-both = Choose up to { $max } projects whose total cost fits in { $budget }.
ballot-rules-max = Choose up to { $max } projects.
ballot-rules-budget = Choose projects whose total cost fits in { $budget }.
ballot-closes = Voting closes on { $date }. You can change your vote until then.
ballot-closed = Voting is not open in this cycle.
ballot-meter = Your choice
ballot-used = Budget used: { $used } · left: { $left }
ballot-chosen-of = Projects chosen: { $count } of { $max }
ballot-chosen = { $count ->
    [one] { $count } project chosen
   *[other] { $count } projects chosen
}
ballot-too-many = You can choose at most { $max } projects. Remove one first.
ballot-over-budget = This project costs { $cost }, but only { $left } is left in the budget. Remove another project first.
ballot-choose = Projects on the ballot
ballot-to-review = Review my choice
ballot-review = Check your choice
ballot-review-empty = You have not chosen any project. Casting an empty ballot withdraws your vote.
ballot-total = Total: { $amount }
ballot-cast = Cast my vote
ballot-back = Change the choice
ballot-saved = Saved on this device — it will be sent when you are online. It is not counted yet.
ballot-saved-at = Saved { $time }
ballot-counted = Counted.
ballot-receipt = Receipt:
ballot-counted-at = Counted { $time }
ballot-change-hint = You can change your vote until voting closes; only your last vote counts.
ballot-rejected = Your vote was not accepted.

## Results
results-title = Results
results-none = Results are not published yet.
results-voters = Voters
results-budget-used = Budget used
results-budget-of = { $used } of { $budget }
results-chart-caption = Votes per project; selected projects are darker.
results-project = Project
results-votes = Votes
results-outcome = Outcome
results-selected = Selected
results-not-selected = Not selected

## Appeals
appeals-title = Appeals
appeals-drafts = Drafts
appeals-mine = My appeals
appeal-title = Appeal
appeal-new = New appeal
appeal-untitled = Appeal without a subject
appeal-type = Type of appeal
appeal-type-statement = Statement
appeal-type-statement-help = You ask for help to exercise your rights, or report a problem or a violation.
appeal-type-complaint = Complaint
appeal-type-complaint-help = Your rights or interests were violated by a decision, action or inaction of an official.
appeal-type-proposal = Proposal
appeal-type-proposal-help = An idea to improve a service, a rule or the work of the akimat.
appeal-type-request = Request
appeal-type-request-help = You want to know something: a schedule, a decision, an explanation.
appeal-type-response = Feedback
appeal-type-response-help = Your opinion on a decision or a draft the akimat published.
appeal-to = To whom
appeal-to-choose = Choose the akimat or department
appeal-subject = Subject
appeal-body = Text of the appeal
appeal-location = Location (optional)
appeal-location-hint = Coordinates of the place the appeal is about. Your location is never added by itself.
appeal-lat = Latitude
appeal-lon = Longitude
appeal-photos = Photos (optional)
appeal-photos-hint = Photos are made smaller before sending and their hidden location data is removed.
appeal-photo-remove = Remove { $name }
appeal-public = Public
appeal-public-help = Everyone can read a public appeal and its answer, without your name. Leave unchecked to keep it private.
appeal-private = Private
appeal-visibility = Visibility
appeal-draft-saved = Draft saved on this device.
appeal-draft-saving = Saving the draft…
appeal-submit = Send the appeal
appeal-discard = Delete the draft
appeal-queued = Saved on this device — your appeal will be sent when you are online.
appeal-sent = Your appeal was sent.
appeal-rejected-edit = The akimat's server did not accept this appeal. Correct it and send it again.
appeal-reg = Registration number
appeal-reg-number = Registration number: { $number }
appeal-due = Answer due
appeal-answer = Answer
appeal-timeline = What happened
due-left = by { $date } — { $days ->
    [0] due today
    [one] { $days } working day left
   *[other] { $days } working days left
}
due-overdue = by { $date } — overdue by { $days ->
    [one] { $days } working day
   *[other] { $days } working days
}
appeal-status-submitted = Submitted
appeal-status-registered = Registered
appeal-status-redirected = Redirected
appeal-status-extended = Deadline extended
appeal-status-answered = Answered
appeal-status-dismissed = Left without consideration

## Delivery states
delivery-queued = Waiting on this device
delivery-sending = Sending…
delivery-delivered = Delivered
delivery-rejected = Not accepted

## Outbox
outbox-title = Outbox
outbox-intro = Everything you did on this device that the server has not confirmed yet.
outbox-empty = Nothing is waiting. Everything has been sent.
outbox-retry = Try again
outbox-edit = Edit and resend
outbox-discard = Discard
outbox-attempts = { $count ->
    [one] { $count } attempt
   *[other] { $count } attempts
}
op-appeal-submit = Appeal
op-proposal-submit = Proposal
op-comment-add = Comment
op-ballot-cast = Vote
op-media-attach = Photo

## Settings
settings-title = Settings
settings-language = Language
settings-display = Display
settings-text-size = Text size
settings-contrast = High contrast
settings-kiosk = Shared device (kiosk)
settings-kiosk-help = On a shared device, sign the person out after this many minutes without use, and remove their data from the device once it has been sent. 0 turns this off.
settings-kiosk-minutes = Sign out after idle minutes
settings-profiles = People on this device
settings-profile-active = Signed in
settings-profile-switch = Switch to { $name }
settings-sign-out = Sign out
settings-about = About
settings-version = Dauys version { $version }
privacy-title = What is stored where
privacy-device = On this device: your drafts, your actions waiting to be sent, and a copy of your locality's proposals, kept in an encrypted file per person.
privacy-server = On the akimat's server: what you sent — appeals, comments, proposals and your vote. Votes are counted without your name.
privacy-kiosk = On a shared device, sign out when you leave; in kiosk mode your data is removed after it has been sent.
privacy-iin = Your IIN is only used to sign you in; the server stores it in a form that cannot be read back.

## Errors (error-<code>)
error-details = Details for support
error-required = Please fill in this field.
error-required-field = Please fill in: { $field }.
error-network = Cannot reach the server. Your actions are kept on this device.
error-insecure-server = This server address is not secure (plain http). Use an https address.
error-photo = This file could not be read as a photo. Choose a JPEG or PNG picture.
error-not-signed-in = Please sign in first.
error-invalid-iin-format = An IIN has exactly 12 digits.
error-invalid-iin-checksum = This IIN has a typo: its last digit does not match. Check the number on your ID card.
error-invalid-iin-date = This IIN does not contain a valid date of birth. Check the number on your ID card.
error-invalid-field = Some information is missing or not valid.
error-invalid-iin = This IIN is not valid.
error-invalid-json = The app sent something the server could not read. Please update the app.
error-unknown-kind = The server does not know this action. Please update the app.
error-bad-signature = This device's signature was not accepted. Sign out and in again.
error-not-found = Not found.
error-unauthorized = Your session has ended. Please sign in again.
error-forbidden = You are not allowed to do this.
error-not-eligible = You cannot vote in this locality.
error-under-age = You are too young to vote in this cycle.
error-voting-closed = Voting has already closed, so this vote could not be counted.
error-phase-closed = This stage is already closed.
error-over-budget = The chosen projects cost more than the budget.
error-too-many-projects = Too many projects are chosen.
error-duplicate-project = A project is chosen twice.
error-not-on-ballot = A chosen project is not on the ballot.
error-invalid-transition = This cannot be done at this stage.
error-deadline-passed = The deadline has passed.
error-media-missing = A photo has not finished uploading.
error-rate-limited = Too many attempts. Please wait a few minutes and try again.
error-code-expired = This code has expired. Ask for a new one.
error-code-wrong = This code is not right. Check the SMS and try again.
error-payload-too-large = This is too large to send.
error-batch-too-large = Too many actions at once. They will be sent in smaller parts.
error-internal = Something went wrong. Please try again.

# How the cycle's counting rule picks winners (ballot and results screens)
counting-rule-greedy = How winners are chosen: projects are ranked by their votes; going down the list, every project that still fits in the remaining budget is funded.
counting-rule-greedy-threshold = How winners are chosen: only projects with at least the minimum number of votes can win; they are ranked by votes and funded while they fit in the budget.
counting-min-votes = { $count ->
    [one] The minimum is { $count } vote.
   *[other] The minimum is { $count } votes.
}
counting-rule-equal-shares = How winners are chosen (Method of Equal Shares): the budget is shared equally among the voters; a project is funded when its supporters can pay for it together from their shares, so every group of residents gets a fair part.

## Staff console (crates/server/src/console, templates/console)
console-name = Dauys staff console
console-skip-to-content = Skip to content
console-nav-label = Console sections
console-language-label = Language
console-dashboard-title = Dashboard
console-appeals-title = Appeals
console-appeal-title = Appeal
console-proposals-title = Proposals
console-sign-in-title = Staff sign-in
console-sign-in-intro = For akimat officials, moderators, experts and administrators. Sign in with your IIN and the one-time code sent to your phone.
console-iin-label = IIN
console-send-code = Send code
console-code-label = One-time code
console-code-sent = A code was sent to { $phone }.
console-code-sent-maybe = If this IIN is registered, a code was sent to the phone on file.
console-sign-in = Sign in
console-sign-out = Sign out
console-count-new = new (not registered)
console-count-due-week = due within a week
console-count-overdue = overdue
console-count-moderation = awaiting moderation
console-count-review = awaiting expert review
console-days-over = { $days ->
    [one] { $days } working day over
   *[other] { $days } working days over
}
console-filter-status = Status
console-filter-type = Type
console-filter-any = Any
console-filter-overdue = Overdue only
console-filter-text = Text
console-filter-body = Addressed to
console-filter-due-before = Due on or before
console-filter-apply = Apply filters
console-queue-empty = Nothing here.
console-col-subject = Subject
console-col-type = Type
console-col-status = Status
console-col-addressee = Addressed to
console-col-number = Registration number
console-col-due = Due date
console-pages-label = Pages
console-page-prev = Previous page
console-page-next = Next page
console-submitted-on = Submitted on
console-visibility = Visibility
console-public = Public
console-private = Private
console-applicant = Applicant
console-applicant-protected = Identity protected: the server keeps IINs only as keyed hashes. The answer reaches the applicant in the app.
console-location = Location
console-open-map = Open on map
console-photos = Photos
console-photo-alt = Photo { $number }
console-text = Text
console-answer = Answer
console-legal-dates = Legal dates
console-not-registered = Not registered yet
console-redirect-by = Redirect allowed until
console-extension-cap = Latest possible extension
console-timeline = Timeline
console-reason = Reason (published)
console-redirect-to = Redirect to
console-extend-until = New due date
console-action-register = Register
console-action-answer = Send answer
console-action-redirect = Redirect
console-action-extend = Extend the term
console-action-dismiss = Leave without consideration
console-flash-registered = The appeal is registered.
console-flash-answered = The answer is sent.
console-flash-redirected = The appeal is redirected.
console-flash-extended = The term is extended.
console-flash-dismissed = The appeal is left without consideration.
console-staff-only-title = For akimat staff only
console-staff-only-text = This console is for akimat staff: officials, moderators, experts and administrators. Residents use the Dauys app to send appeals and follow them.
console-back-to-sign-in = Back to sign-in
console-csrf-title = Form expired
console-csrf-text = This form could not be verified, so nothing was changed. Open the page again and repeat the action.
console-back-to-dashboard = Back to the dashboard
console-not-found-title = Not found
console-not-found-text = There is no such page, or it is not available to you.
console-error-title = Something went wrong
console-error-text = The server could not complete the request. Nothing was lost; try again in a minute.
console-category = Category
console-cost = Cost
console-action-accept = Accept
console-action-needs-changes = Ask for changes
console-action-reject = Reject
console-flash-accepted = The proposal is accepted.
console-flash-needs-changes = The author is asked for changes.
console-flash-rejected = The proposal is rejected; the reason is published.

## console: administration and audit
console-admin-title = Administration
console-audit-title = Audit log
console-census-title = Census import
console-grant-title = Grant a role
console-role = Role
console-locality = Locality
console-staff-label = Name and post
console-action-grant = Grant
console-staff-title = Staff
console-phone = Phone
console-col-action = Action
console-action-revoke = Revoke
console-everywhere = Everywhere
console-department = Department
console-department-all = The whole locality
console-department-hint = For an official of one department: they see and answer only the appeals addressed to it.
console-role-citizen = Resident
console-role-moderator = Moderator
console-role-expert = Expert
console-role-official = Official
console-role-admin = Administrator
console-flash-granted = The role is granted.
console-flash-revoked = The role is revoked.
console-census-intro = A CSV file with the columns iin, phone, locality (a header row is allowed). Good rows are imported; rows with mistakes are listed below and left out.
console-census-repeated = This file was already imported from this form; nothing was imported twice.
console-census-report = Import report
console-census-added = { $count ->
    [one] { $count } resident added
   *[other] { $count } residents added
}
console-census-updated = { $count ->
    [one] { $count } updated
   *[other] { $count } updated
}
console-census-skipped = { $count ->
    [one] { $count } row left out
   *[other] { $count } rows left out
}
console-census-skipped-rows = Rows left out
console-census-line = Line
console-census-problem = What is wrong
console-census-bad-iin = The IIN is not valid (12 digits with a correct check digit).
console-census-bad-phone = The phone number is too short.
console-census-bad-locality = No such locality code.
console-census-bad-row = The row needs three columns: iin, phone, locality.
console-census-file = CSV file
console-action-import = Import
console-audit-when = When
console-audit-who = Who
console-audit-what = Action
console-audit-item = Item
console-audit-outcome = Outcome
console-audit-op = Op id
console-audit-done = Done
console-audit-appeal-register = Registered an appeal
console-audit-appeal-redirect = Redirected an appeal
console-audit-appeal-extend = Extended an appeal's term
console-audit-appeal-answer = Answered an appeal
console-audit-appeal-dismiss = Left an appeal without consideration
console-audit-proposal-moderate = Moderated a proposal
console-audit-proposal-review = Reviewed a proposal
console-audit-proposal-progress = Updated a project's progress
console-audit-comment-moderate = Moderated a comment
console-audit-cycle-create = Created a budget cycle
console-audit-cycle-phase = Moved a cycle's phase
console-audit-role-grant = Granted a role
console-audit-role-revoke = Revoked a role
console-audit-census-import = Imported the census
console-col-select = Select
console-select = Select
console-action-register-selected = Register selected
console-flash-none-selected = Nothing was selected.
console-flash-bulk-registered = The selected appeals are registered.
console-flash-bulk-partial = Some of the selected appeals could not be registered (already registered, or not yours); the queue shows their status.
console-session-expired = Your session ended before the form was sent. Sign in again: what you typed is kept, and nothing was changed yet.
console-resume-title = Send the form again?
console-resume-text = You are signed in again. The form you were sending when your session ended is below; nothing was changed yet. Send it now, or leave it.
console-resume-typed = What you typed
console-resume-files = A file cannot be kept while you sign in again. If the form had one (a photo, the census file), choose it again below; the rest is kept.
console-resume-file = File (choose again)
console-resume-send = Send
console-resume-discard = Leave it and go to the dashboard
console-templates-title = Answer templates
console-template-new = New template
console-template-edit = Edit the template
console-template-name = Title
console-template-text = Text
console-template-start = Start the answer from a template:
console-action-save = Save
console-action-edit = Edit
console-action-delete = Delete
console-flash-template-saved = The template is saved.
console-flash-template-deleted = The template is deleted.
console-filter-open = Open (not answered yet)

## public pages
public-index-title = Localities
public-index-intro = What residents proposed, voted and asked, and how each akimat answers — for every locality. No sign-in needed.
public-not-found-text = There is no such page.
public-crumbs-label = You are here
public-licence = Open data: figures, results and anonymized ballots may be reused under CC BY 4.0, naming Dauys as the source.
public-answers-title = How appeals are answered
public-received = appeals received
public-answered = answered
public-in-term = answered within the legal term
public-median-days = working days to answer (median)
public-accountability-link = Figures for each akimat and department
public-accountability-title = Answers to appeals: { $name }
public-accountability-intro = For each akimat and department: appeals received, answered, the median working days from registration to answer (Kazakhstan's calendar, holidays included), the share answered within the legal term, open appeals overdue now, and appeals that came by redirection.
public-body = Akimat or department
public-overdue-now = overdue now
public-redirected-in = came by redirection
public-cycles-title = People's budget cycles
public-latest-answers = Latest answers to public appeals
public-all-appeals = All public appeals and answers
public-appeals-title = Public appeals: { $name }
public-search = Search
public-phase = Stage
public-budget = Budget
public-proposals-title = Proposals
public-progress = Progress
public-recount-title = Recount it yourself
public-download-pb = Ballots (.pb, pabulib)
public-download-csv = Results (CSV)
public-recount-text = The ballots are published without names. Count them again with the dauys-tally tool of this project, or with pabutools, the reference Python library for participatory budgeting (load the .pb file and run the same rule): the selection must be the one above.

## console: reviews, implementation, cycles
console-reviews-title = Expert review
console-implementation-title = Implementation
console-cycles-title = Budget cycles
console-review-feasible = Can it be built as proposed?
console-review-yes = Yes, put it on the ballot
console-review-no = No (the note says why; it is published)
console-review-estimate = Cost estimate, ₸
console-review-note = Note (published)
console-action-review = Send the review
console-flash-reviewed = The review is saved and published.
console-progress-percent = Progress, %
console-progress-note = Milestone (published)
console-action-progress = Publish the update
console-flash-progress = The update is published.
console-cycle-name = Cycle
console-cycle-next = Next stage
console-action-next-phase = Move to the next stage
console-cycle-new = New cycle
console-cycle-title-kk = Title in Kazakh
console-cycle-title-ru = Title in Russian
console-cycle-title-en = Title in English
console-cycle-budget = Budget, ₸
console-cycle-rule = How winners are chosen
console-cycle-max-projects = At most this many projects per ballot (empty: no limit)
console-cycle-min-votes = Minimum votes a project needs to win (only for the rule with a minimum)
console-cycle-budget-limited = A ballot's projects must fit in the budget
console-cycle-min-age = Minimum voting age
console-cycle-voting-from = Voting from
console-cycle-voting-until = Voting until
console-action-create-cycle = Create the cycle
console-flash-cycle-created = The cycle is created.
console-phase-title = Move to the next stage?
console-phase-from = Now
console-phase-to = Next
console-phase-counting = Voting ends: the ballots will be counted now and the results published. The rule, as residents will read it:
console-phase-final = Stages only move forward; this cannot be undone.
console-action-confirm-phase = Yes, move it
console-action-cancel = Cancel
console-flash-phase-moved = The cycle moved to its next stage.
console-comments-title = Comments
console-action-hide = Hide
console-action-show = Show again
console-comment-hidden-note = Hidden; the published reason:
console-comment-reported = { $count ->
    [one] reported by { $count } resident
   *[other] reported by { $count } residents
}
console-flash-comment-hidden = The comment is hidden; the reason is published in its place.
console-flash-comment-shown = The comment is shown again.
console-cycles-soon = Cycles moving to their next stage within a week
console-progress-photo = Photo of the works (optional, published)

## Open311 GeoReport v2 (answers to partner apps)
open311-subject = A short subject of the appeal (by default the start of its text).
open311-subject-format = Text, up to 200 characters.
open311-public = Publish the appeal and its answer (the applicant's name and IIN are never published).
open311-public-yes = Yes, publish it
open311-public-no = No, keep it private
open311-created = Sent to the akimat. It will be registered, and the legal term of 15 working days starts on registration.
open311-refused-key = The api_key is missing or not valid. Partner apps get a key from the akimat's administrator of Dauys.
open311-refused-anonymous = The law on appeals requires an identified applicant: sign the resident in (POST /v1/auth/otp, then /v1/auth/verify) and send their session as "Authorization: Bearer …" or attribute[session].
open311-refused-session = The resident's session is not valid (expired or signed out): sign them in again.
console-partners-title = Partner apps (Open311)
console-routes-title = Routing help
console-routes-help = When residents choose what their appeal is about, the app suggests the body named here. They can still choose another.
console-routes-show = Show
console-routes-table = Who deals with each topic here
console-routes-none = No suggestion
console-flash-route-saved = Saved. Residents get the suggestion with their next sync.
console-partners-intro = Apps that file appeals for signed-in residents through Open311 GeoReport v2 (/open311/v2) need a key. Give each app its own key; revoke it when the app stops.
console-partner-issue = Issue a key
console-partner-label = App and organisation
console-partner-keys = Keys in force
console-partner-issued = Issued
console-partner-new-key = The new key
console-partner-new-key-once = Copy it now and give it to the app's developers over a safe channel: it is shown only this once (Dauys keeps only a fingerprint).
console-partner-label-required = Name the app the key is for.
console-flash-partner-issued = Key issued.
console-flash-partner-revoked = Key revoked: the app can no longer file appeals.
public-receipt-title = Check your ballot's receipt
public-receipt-help = When you voted, the app showed a receipt like A1B2-C3D4-E5F6-0789. Once voting is over, type it here to check that your ballot is among the counted ones. The check says only whether it was counted — never how you voted, so no one can use a receipt to see your choices.
public-receipt-label = Your receipt
public-receipt-check = Check
public-receipt-counted = Your ballot was counted, with { $count } ballots in all.
public-receipt-not-counted = No counted ballot has this receipt. Check it for typing errors; if you voted again later, only your last ballot counts and its receipt is the one to check.
public-receipt-not-yet = Voting is not over yet: receipts can be checked when the ballots are published.
public-receipt-invalid = A receipt is 16 letters and digits, like A1B2-C3D4-E5F6-0789.
public-receipt-download = Download the fingerprints of all counted receipts (to check offline)
public-by-month = By month (received in the month)
public-month = Month
public-open-data = Open data
public-accountability-exports = These figures per body and month
public-turnout-title = Participation (residents of the census old enough to vote)
public-turnout-place = Where
public-turnout-eligible = Could vote
public-turnout-voted = Voted
public-turnout-share = Share
public-turnout-all = Everywhere in the cycle

## SMS with the one-time sign-in code (keep it within one SMS: 70 letters in Cyrillic)
sms-code = Dauys sign-in code: { $code }. Do not tell it to anyone.
sms-appeal-answered = Dauys: your appeal No. { $number } has been answered. Open the app to read the answer.

## Notifications, proposing a project, public appeals (resident's app)
nav-notices = Notifications
notices-title = Notifications
notices-none = Nothing new yet. When an official answers your appeal or your project moves on, you will see it here.
notices-new = New
notices-unread = { $count ->
    [one] { $count } new
   *[other] { $count } new
}
notice-appeal = Your appeal “{ $subject }”: { $status }
notice-appeal-overdue = The answer to your appeal “{ $subject }” is late: the legal deadline has passed
notice-proposal = Your project “{ $subject }”: { $status }
notice-comment-hidden = A moderator hid your comment
notice-results = The results are out: { $subject }
notice-ballot-counted = Your vote is counted: { $subject }
notice-refused = Not accepted: “{ $subject }”. { $status }
notice-os-body = There is news about your appeals or projects. Open Dauys to read it.
cycle-propose = Propose a project
propose-title = Propose a project
propose-name = Name of the project
propose-description = What should be done, and where
propose-description-help = Write it simply: what is needed, where exactly, and who will benefit.
propose-category = Topic
propose-cost = Cost in tenge
propose-cost-help = Your own estimate; experts check it. You can write it with spaces: 2 500 000.
propose-photos-hint = Up to 10 photos of the place. They are sent when you are online.
propose-submit = Send the proposal
propose-queued = Your proposal is saved. It goes to the moderators as soon as there is a connection.
my-proposals-title = My proposals
my-proposals-none = You have not proposed a project yet.
my-proposal-reason = Moderator's note: { $reason }
my-proposal-revise = Correct it
my-proposal-send-revision = Send the corrected version
my-proposal-revised = The corrected version is saved and goes back to the moderators.
others-appeals-title = Other residents' appeals
others-appeals-help = Public appeals of your place and the answers to them. Perhaps someone has already asked about your problem.
others-appeals-search = Search appeals and answers
others-appeals-answered = Only answered ones
others-appeals-count = { $count ->
    [0] No appeals found
    [one] { $count } appeal
   *[other] { $count } appeals
}
receipt-check-title = Check my ballot
receipt-check-help = The list of counted ballots is published. Your phone checks your receipt in it itself: nobody learns whose receipt it is, and it does not show how you voted.
receipt-check = Check
receipt-counted = { $count ->
    [one] Your ballot is among the { $count } counted ballot.
   *[other] Your ballot is among the { $count } counted ballots.
}
receipt-missing = Your receipt is not in the published list. Please tell the akimat's participation office and show them your receipt.
comment-report = Report to the moderators
comment-report-reason = What is wrong with this comment? (you may leave it empty)
comment-report-send = Send the report
comment-reported = Reported. The moderators will look at it.
implementation-title = How your input was used
implementation-help = Projects residents chose in past votes, and how far the work has come.
implementation-none = No project has been chosen in your place yet.
implementation-progress = { $count }% done
implementation-milestones = Steps so far
implementation-show-photos = { $count ->
    [one] Show the photo
   *[other] Show { $count } photos
}
implementation-photo-alt = Photo { $number } of the works: { $name }

## Withdrawing a proposal, routing help, the place's centre, SMS on answer
my-proposal-withdraw = Withdraw it
my-proposal-withdraw-confirm = Withdraw this proposal? It will not be considered, and this cannot be undone.
my-proposal-withdraw-yes = Yes, withdraw
my-proposal-withdraw-no = No, keep it
my-proposal-withdrawn = Your proposal is withdrawn. It will not be considered.
location-here = Here: the centre of { $place }
appeal-topic = What is it about?
appeal-topic-choose = Choose a topic (not required)
appeal-topic-help = Choose a topic and we will suggest who deals with it.
appeal-topic-suggested = Suggested: { $body }. You can choose another below.
appeal-sms = Send me an SMS when the answer comes
appeal-sms-help = One short message to your phone. It does not contain the text of your appeal.
appeal-topic-roads = Roads and pavements
appeal-topic-lighting = Street lights
appeal-topic-water = Water and sewerage
appeal-topic-heating = Heating
appeal-topic-waste = Rubbish collection
appeal-topic-transport = Buses and transport
appeal-topic-housing = Housing and yards
appeal-topic-land = Land
appeal-topic-education = Schools and kindergartens
appeal-topic-health = Health care
appeal-topic-social = Social support
appeal-topic-other = Something else
