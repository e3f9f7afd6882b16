from django.contrib import admin
from django.urls import include, path

from . import dashboard_views, match_views, review_views, views

match_patterns = (
    [
        path("", review_views.match_list, name="list"),
        path("pipeline/", review_views.pipeline, name="pipeline"),
        path("<int:pk>/", review_views.match_detail, name="detail"),
        path("<int:pk>/explained/", match_views.firm_match_detail, name="firm_detail"),
        path("<int:pk>/<slug:action>/", review_views.match_action, name="action"),
        path(
            "<int:pk>/documents/<int:document_pk>/",
            review_views.institution_document,
            name="document",
        ),
        path("introductions/", review_views.introductions, name="introductions"),
        path(
            "introductions/<int:pk>/<str:answer>/",
            review_views.answer_introduction,
            name="answer_introduction",
        ),
        path("project/<int:pk>/access/", review_views.project_access_log, name="access_log"),
        path("notifications/", review_views.notification_list, name="notifications"),
        path(
            "notifications/settings/",
            review_views.notification_settings,
            name="notification_settings",
        ),
        path("project/<int:pk>/", match_views.project_matches, name="project_matches"),
        path(
            "project/<int:pk>/packages/<int:rank>/ask/",
            match_views.ask_package,
            name="ask_package",
        ),
        path("operator/scoring/", match_views.scoring_runs, name="scoring_runs"),
        path("operator/scoring/start/", match_views.start_rescore, name="start_rescore"),
    ],
    "matches",
)

operator_patterns = (
    [
        path("", dashboard_views.market, name="market"),
        path("export/<slug:table>.csv", dashboard_views.market_csv, name="export"),
        path("verification/", dashboard_views.verification, name="verification"),
        path(
            "verification/<uuid:organization_id>/",
            dashboard_views.verify_organization,
            name="verify",
        ),
        path("weights/", dashboard_views.weights, name="weights"),
    ],
    "operator",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("projects/", include("projects.urls")),
    path("offerings/", include("investors.urls")),
    path("matches/", include(match_patterns)),
    path("api/v1/", include(("matchmaker.api.urls", "api"))),
    path("operator/", include(operator_patterns)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
