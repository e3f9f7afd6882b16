"""Every web page or action a person can use has its twin in the v1 API, so a bank's or a
firm's own system can do what its people do. A new web URL without an entry below fails
`test_every_web_url_has_a_declared_api_twin`; an entry naming an API URL that does not
exist fails `test_every_declared_twin_exists`."""

from django.urls import URLPattern, URLResolver, get_resolver

# web URL name → the API URL names that do the same (through the same services/selectors).
TWINS = {
    # projects (the firm)
    "projects:list": ["api:project-list"],
    "projects:create": ["api:project-list"],  # POST creates
    "projects:detail": ["api:project-detail"],
    "projects:step": ["api:project-detail"],  # PATCH edits any step's fields
    "projects:submit": ["api:project-submit"],
    "projects:withdraw": ["api:project-withdraw"],
    "projects:funded": ["api:project-funded"],
    "projects:reopen": ["api:project-reopen"],
    "projects:document": ["api:project-document"],
    "projects:document_delete": ["api:project-document"],  # DELETE
    "firm:project_matches": ["api:project-matches"],
    "firm:match_detail": ["api:project-matches"],  # each match with its explanation
    "firm:ask_package": ["api:project-package-ask"],
    "firm:access_log": ["api:project-access-log"],
    "firm:introductions": ["api:introduction-list"],
    "firm:introduction_accept": ["api:introduction-accept"],
    "firm:introduction_refuse": ["api:introduction-refuse"],
    "firm:introduction_undo_refusal": ["api:introduction-undo-refusal"],
    # offerings and the match review (the institution)
    "investors:list": ["api:offering-list"],
    "investors:create": ["api:offering-list"],
    "investors:detail": ["api:offering-detail"],
    "investors:edit": ["api:offering-detail"],
    "investors:status": ["api:offering-detail"],  # PATCH active / status
    "institution:match_list": ["api:match-list"],
    "institution:save_view": ["api:saved-view-list"],
    "institution:delete_view": ["api:saved-view-detail"],
    "institution:match_detail": ["api:match-detail"],
    "institution:shortlist": ["api:match-shortlist"],
    "institution:decline": ["api:match-decline"],
    "institution:request_intro": ["api:match-request-intro"],
    "institution:undo": ["api:match-undo"],
    "institution:move": ["api:match-move"],
    "institution:document": ["api:match-documents", "api:match-document"],
    "institution:pipeline": ["api:match-list", "api:match-history"],  # ?status=…
    "institution:offering_learning": ["api:offering-learning"],
    "institution:learning_off": ["api:offering-learning"],  # PATCH active false
    "institution:learning_on": ["api:offering-learning"],
    "institution:suggestion_accept": ["api:offering-suggestion-accept"],
    "institution:suggestion_dismiss": ["api:offering-suggestion-dismiss"],
    "institution:introduction_accept": ["api:introduction-accept"],
    "institution:introduction_refuse": ["api:introduction-refuse"],
    "institution:introduction_undo_refusal": ["api:introduction-undo-refusal"],
    # the programme office
    "operator:market": ["api:operator-market"],
    "operator:export": ["api:operator-export"],
    "operator:declines": ["api:operator-declines"],
    "operator:verification": ["api:operator-verification"],
    "operator:verify": ["api:organization-verify"],
    "operator:weights": ["api:operator-weights", "api:operator-weights-preview"],
    "operator:scoring_runs": ["api:scoring-run-list", "api:scoring-run-detail"],
    "operator:start_rescore": ["api:scoring-run-list"],  # POST starts one
    # everyone signed in
    "notifications:list": ["api:notification-list", "api:notification-mark-read"],
    "notifications:settings": ["api:notification-preferences"],
    "webhooks:list": ["api:webhook-endpoint-list", "api:webhook-event-types"],
    "webhooks:detail": ["api:webhook-endpoint-detail", "api:webhook-delivery-list"],
    "webhooks:pause": ["api:webhook-endpoint-detail"],  # PATCH active false
    "webhooks:resume": ["api:webhook-endpoint-detail"],
    "webhooks:rotate": ["api:webhook-endpoint-rotate-secret"],
    "webhooks:ping": ["api:webhook-endpoint-ping"],
    "webhooks:delete": ["api:webhook-endpoint-detail"],  # DELETE
    "webhooks:replay": ["api:webhook-delivery-replay"],
    # the deal room (both sides of an accepted introduction)
    "dealroom:list": ["api:dealroom-list"],
    "dealroom:room": ["api:dealroom-detail", "api:dealroom-checklist"],
    "dealroom:request_create": ["api:dealroom-requests"],
    "dealroom:document": ["api:dealroom-document"],
    "dealroom:document_share": ["api:dealroom-document-share"],
    "dealroom:document_withdraw": ["api:dealroom-document-withdraw"],
    "dealroom:thread_create": ["api:dealroom-threads"],
    "dealroom:request_answer": ["api:room-request-answer"],
    "dealroom:request_file": ["api:room-request-file"],
    "dealroom:thread": ["api:room-thread-detail", "api:room-thread-read"],
    "dealroom:thread_reply": ["api:room-thread-messages"],
    "dealroom:message_file": ["api:room-message-file"],
    "operator:answers": ["api:overdue-introduction-list", "api:response-time-list"],
    "operator:access_audit": ["api:access-log-list"],
    "operator:access_audit_csv": ["api:access-log-list"],  # the same rows, as JSON
    # the programme's tools
    "programme:office": ["api:programme-tool-list"],
    "programme:tool_new": ["api:programme-tool-list"],  # POST creates
    "programme:tool_edit": ["api:programme-tool-detail"],  # PATCH
    "programme:tool_year": ["api:programme-tool-figures"],
    "programme:tool_year_csv": ["api:programme-tool-figures"],
    "programme:membership_decide": ["api:programme-membership-decide"],
    "programme:enrolment_decide": ["api:programme-enrolment-decide"],
    "programme:entitlement_publish": ["api:programme-entitlement-publish"],
    "programme:entitlement_refuse": ["api:programme-entitlement-refuse"],
    "programme:entitlement_pay": ["api:programme-entitlement-pay"],
    "programme:claim_decide": ["api:programme-claim-decide"],
    "programme:standing_set": ["api:programme-standing"],
    "programme:firm": [
        "api:programme-membership-list",
        "api:programme-entitlement-list",
        "api:programme-objection-list",
    ],
    "programme:objection_resolve": ["api:programme-objection-resolve"],
    "programme:public_list": ["api:programme-public-list-list"],  # no credentials
    "programme:objection_lodge": ["api:programme-public-list-object"],  # POST, no credentials
    "programme:membership_claim": ["api:programme-membership-list"],  # POST claims
    "programme:deal_confirm": ["api:programme-deal-confirm"],
    "programme:entitlement_confirm": ["api:programme-entitlement-confirm"],
    "programme:financier": ["api:programme-enrolment-list", "api:programme-claim-list"],
    "programme:enrol": ["api:programme-enrolment-list"],  # POST enrols
    "programme:enrolment_withdraw": ["api:programme-enrolment-withdraw"],
    "programme:claim_report": ["api:programme-claim-list"],  # POST reports
    "programme:deal_close": ["api:programme-deal-list"],  # POST closes with its terms
    # accounts
    "signup": ["api:register"],
    "login": ["api:token"],
}

# Web URLs for people only, each with the reason a machine needs no twin.
NO_TWIN = {
    "home": "a page of links to the others",
    "logout": "a token is simply not sent again",
    "password_change": "a person's password, changed by that person in a browser",
    "password_change_done": "the page after the change",
    "password_reset": "a mailed link for a person who forgot the password",
    "password_reset_done": "the page after the request",
    "password_reset_confirm": "the mailed link's page",
    "password_reset_complete": "the page after the reset",
    "set_language": "the API answers in the Accept-Language of each request",
    "two_factor_setup": "a person enrols an authenticator app in a browser",
    "two_factor_verify": "the API's token request carries the one-time code itself (`otp`)",
    "health": "a probe for the deployment, not a person's action",
    "metrics": "Prometheus scrapes it; not a person's action",
}
SKIPPED_NAMESPACES = {"admin", "api"}


def url_names(resolver=None, prefix: str = "") -> set[str]:
    names = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in SKIPPED_NAMESPACES:
                continue
            inner = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(prefix + entry.name)
    return names


def api_url_names() -> set[str]:
    [api] = [e for e in get_resolver().url_patterns if getattr(e, "namespace", None) == "api"]
    names = set()

    def walk(resolver):
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                walk(entry)
            elif entry.name:
                names.add(f"api:{entry.name}")

    walk(api)
    return names


def test_every_web_url_has_a_declared_api_twin():
    web = url_names()
    assert web - set(TWINS) - set(NO_TWIN) == set(), "web URLs without an API twin"
    assert set(TWINS) & set(NO_TWIN) == set()


def test_every_declared_twin_exists():
    known = api_url_names()
    missing = {name: twins for name, twins in TWINS.items() if not set(twins) <= known}
    assert missing == {}
    assert set(TWINS) | set(NO_TWIN) <= url_names(), "entries for web URLs that are gone"
