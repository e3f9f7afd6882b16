"""The URL map, by audience: each namespace is one kind of user's pages.

- ``projects:`` and ``firm:``: a space firm's projects, and its matches, packages,
  introductions and access log;
- ``investors:`` and ``institution:``: an institution's offerings, and its match review;
- ``operator:``: the programme office (staff);
- ``dealroom:``: both sides of an accepted introduction (``/rooms/…``);
- ``notifications:``: anyone signed in; ``webhooks:``: any firm's or institution's
  members (their endpoints and delivery log); ``api:``: the REST API.

The old ``/matches/…`` pages redirect to their new homes, so bookmarks keep working.
"""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from matchmaker import operations
from matchmaker.accounts import two_factor_views
from matchmaker.accounts import views as account_views
from matchmaker.dealroom import operator_views as dealroom_operator_views
from matchmaker.matching import views as matching_views
from matchmaker.operator import views as operator_views
from matchmaker.review import firm_views, institution_views, notification_views
from matchmaker.webhooks import views as webhook_views

firm_patterns = (
    [
        path("projects/<int:pk>/matches/", matching_views.project_matches, name="project_matches"),
        path(
            "projects/<int:pk>/packages/<int:rank>/ask/",
            firm_views.ask_package,
            name="ask_package",
        ),
        path("projects/<int:pk>/access/", firm_views.access_log, name="access_log"),
        path("matches/<int:pk>/", matching_views.match_detail, name="match_detail"),
        path("introductions/", firm_views.introductions, name="introductions"),
        path(
            "introductions/<int:pk>/accept/",
            firm_views.answer_introduction,
            {"accept": True},
            name="introduction_accept",
        ),
        path(
            "introductions/<int:pk>/refuse/",
            firm_views.answer_introduction,
            {"accept": False},
            name="introduction_refuse",
        ),
        path(
            "introductions/<int:pk>/undo-refusal/",
            firm_views.undo_refusal,
            name="introduction_undo_refusal",
        ),
    ],
    "firm",
)

institution_patterns = (
    [
        path("matches/", institution_views.match_list, name="match_list"),
        path("matches/views/", institution_views.save_view, name="save_view"),
        path("matches/views/<int:pk>/delete/", institution_views.delete_view, name="delete_view"),
        path("matches/<int:pk>/", institution_views.match_detail, name="match_detail"),
        path("matches/<int:pk>/shortlist/", institution_views.shortlist, name="shortlist"),
        path("matches/<int:pk>/decline/", institution_views.decline, name="decline"),
        path(
            "matches/<int:pk>/request-intro/",
            institution_views.request_introduction,
            name="request_intro",
        ),
        path("matches/<int:pk>/undo/", institution_views.undo, name="undo"),
        path("matches/<int:pk>/move/", institution_views.move, name="move"),
        path(
            "matches/<int:pk>/documents/<int:document_pk>/",
            institution_views.document,
            name="document",
        ),
        path("pipeline/", institution_views.pipeline, name="pipeline"),
        path(
            "offerings/<int:pk>/learning/",
            institution_views.offering_learning,
            name="offering_learning",
        ),
        path(
            "learning/<int:pk>/off/",
            institution_views.learning_switch,
            {"active": False},
            name="learning_off",
        ),
        path(
            "learning/<int:pk>/on/",
            institution_views.learning_switch,
            {"active": True},
            name="learning_on",
        ),
        path(
            "suggestions/accept/",
            institution_views.answer_suggestion,
            {"accept": True},
            name="suggestion_accept",
        ),
        path(
            "suggestions/dismiss/",
            institution_views.answer_suggestion,
            {"accept": False},
            name="suggestion_dismiss",
        ),
        path(
            "introductions/<int:pk>/accept/",
            institution_views.answer_introduction,
            {"accept": True},
            name="introduction_accept",
        ),
        path(
            "introductions/<int:pk>/refuse/",
            institution_views.answer_introduction,
            {"accept": False},
            name="introduction_refuse",
        ),
        path(
            "introductions/<int:pk>/undo-refusal/",
            institution_views.undo_refusal,
            name="introduction_undo_refusal",
        ),
    ],
    "institution",
)

operator_patterns = (
    [
        path("", operator_views.market, name="market"),
        path("export/<slug:table>.csv", operator_views.market_csv, name="export"),
        path("declines/", operator_views.decline_reasons, name="declines"),
        path("verification/", operator_views.verification, name="verification"),
        path(
            "verification/<uuid:organization_id>/",
            operator_views.verify_organization,
            name="verify",
        ),
        path("weights/", operator_views.weights, name="weights"),
        path("scoring/", operator_views.scoring_runs, name="scoring_runs"),
        path("scoring/start/", operator_views.start_rescore, name="start_rescore"),
        path("access/", dealroom_operator_views.access_audit, name="access_audit"),
        path("access.csv", dealroom_operator_views.access_audit_csv, name="access_audit_csv"),
        path("answers/", dealroom_operator_views.answers, name="answers"),
    ],
    "operator",
)

notification_patterns = (
    [
        path("", notification_views.notification_list, name="list"),
        path("settings/", notification_views.notification_settings, name="settings"),
    ],
    "notifications",
)


webhook_patterns = (
    [
        path("", webhook_views.endpoint_list, name="list"),
        path("<int:pk>/", webhook_views.endpoint_detail, name="detail"),
        *(
            path(
                f"<int:pk>/{action}/",
                webhook_views.endpoint_action,
                {"action": action},
                name=action,
            )
            for action in ("pause", "resume", "rotate", "ping", "delete")
        ),
        path("deliveries/<int:pk>/replay/", webhook_views.delivery_replay, name="replay"),
    ],
    "webhooks",
)


def moved(pattern_name: str) -> RedirectView:
    """A permanent redirect that keeps the query string (filters in a bookmark)."""
    return RedirectView.as_view(pattern_name=pattern_name, permanent=True, query_string=True)


# The pages' addresses before they were grouped by audience (GET pages only).
legacy_patterns = [
    path("", moved("institution:match_list")),
    path("pipeline/", moved("institution:pipeline")),
    path("introductions/", moved("firm:introductions")),
    path("notifications/", moved("notifications:list")),
    path("notifications/settings/", moved("notifications:settings")),
    path("operator/scoring/", moved("operator:scoring_runs")),
    path("project/<int:pk>/", moved("firm:project_matches")),
    path("project/<int:pk>/access/", moved("firm:access_log")),
    path("<int:pk>/", moved("institution:match_detail")),
    path("<int:pk>/explained/", moved("firm:match_detail")),
]

urlpatterns = [
    path("", account_views.home, name="home"),
    path("accounts/signup/", account_views.signup, name="signup"),
    path("accounts/two-factor/", two_factor_views.verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", two_factor_views.setup, name="two_factor_setup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("projects/", include("projects.urls")),
    path("offerings/", include("investors.urls")),
    path("firm/", include(firm_patterns)),
    path("institution/", include(institution_patterns)),
    path("operator/", include(operator_patterns)),
    path("programme/", include("matchmaker.programme.urls")),
    path("notifications/", include(notification_patterns)),
    path("rooms/", include("matchmaker.dealroom.urls")),
    path("webhooks/", include(webhook_patterns)),
    path("matches/", include(legacy_patterns)),
    path("api/v1/", include(("matchmaker.api.urls", "api"))),
    path("admin/", admin.site.urls),
    path("language/", account_views.set_language, name="set_language"),
    path("health/", operations.health, name="health"),
    path("metrics", operations.metrics, name="metrics"),
]

handler404 = "matchmaker.errors.not_found"
