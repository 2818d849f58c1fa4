nav-services = Services
catalog-title = Services
catalog-search-label = Search the services
catalog-search = Search by words
catalog-audience = For whom
catalog-category = Topic
catalog-any = All
catalog-apply = Search
catalog-reset = Clear the filters
catalog-results = { $count ->
    [one] 1 service found
   *[other] { $count } services found
}
catalog-all = All services ({ $count })
catalog-anonymous = To use a service, sign in with SPID, CIE, eIDAS or as a foreign user: you will see which ones you can use at once.
catalog-now = You can use now ({ $count })
catalog-now-intro = With { $credential }, level { $level }, as { $profile }.
catalog-step-up-note = Asks for level { $level }: when you open it you confirm your identity with a new authentication.
catalog-later = With another credential, a higher level or another profile ({ $count })
catalog-none = None of the services in this search is available to you now.
catalog-for = For:
catalog-level = level { $level }
catalog-credentials = Credentials
catalog-min-level = Minimum level
catalog-what-you-can-do = What you can do
catalog-enter = Go to the service
category-rapporti-di-lavoro = Employment relationships
category-adempimenti = Company obligations
category-ammortizzatori = Income support
category-contrattazione = Collective bargaining
category-mobilita-internazionale = Work and international mobility
category-professioni = Professions
category-formazione = Training
category-politiche-sociali = Social policies
access-allowed = You can use this service with your current sign-in.
access-sign-in = Sign in to use this service.
access-credential = { $count ->
    [one] This service does not accept the credential you signed in with. Sign out and sign in with: { $allowed }.
   *[other] These services do not accept the credential you signed in with. Sign out and sign in with: { $allowed }.
}
access-profile = { $count ->
    [one] This service is for: { $needed }. Add the right profile and switch to it to use the service.
   *[other] These services are for: { $needed }. Add the right profile and switch to it to use them.
}
access-level-step-up = { $count ->
    [one] This service needs level { $level }: when you press "Go to the service" we will ask you to authenticate again at that level, then bring you back here.
   *[other] These services need level { $level }: when you press "Go to the service" we will ask you to authenticate again at that level, then bring you back here.
}
access-level-other = { $count ->
    [one] This service needs level { $level }, which your credential cannot reach. Sign in with SPID or CIE.
   *[other] These services need level { $level }, which your credential cannot reach. Sign in with SPID or CIE.
}
access-denied-title = You cannot use this service yet
access-back = Back to the service page
home-most-used = Most used services
home-recent = Recently used
home-all-services = All services

## Service interruptions
outage-period = From { $from } to { $to } (Italian time).
outage-period-open = Since { $from } (Italian time); the end is not known yet.
outage-now-planned = Planned interruption under way
outage-now-unplanned = Service failure under way
outage-coming = Planned interruption
outage-ministry-says = Notice from the Ministry:
outage-title = { $service }: service unavailable
outage-meanwhile = What you can do
outage-come-back = Try again after { $when }: the service should be back by then.
outage-come-back-later = Try again later: this page will say when the service is back.
outage-nothing-lost = What you have already sent or saved is safe: the interruption deletes nothing.
outage-dimissioni-proof = If a deadline runs out during the interruption (such as the 7 days to revoke a resignation), the Service status page records when it began and ended: you can show it as proof. Any other way the Ministry opens meanwhile appears in the notice above.
outage-status-link = Service status: interruptions under way, planned and past
outage-support-link = Ask for support
outage-end-unknown = Not known yet
outage-kind-planned = Planned
outage-kind-unplanned = Failure
outage-col-service = Service
outage-col-kind = Kind
outage-col-from = From
outage-col-to = To
status-title = Service status
status-lead = Interruptions of the services under way, planned and of the past 12 months, in Italian time.
status-now = Now
status-all-working = Every service is working.
status-planned = Planned interruptions
status-planned-caption = Planned interruptions, by service
status-none-planned = No planned interruptions.
status-past = Interruptions of the past 12 months
status-past-caption = Interruptions of the past 12 months, latest first
status-none-past = No interruptions in the past 12 months.
