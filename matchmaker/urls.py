from django.contrib import admin
from django.urls import include, path

from . import match_views, views

match_patterns = (
    [
        path("project/<int:pk>/", match_views.project_matches, name="project_matches"),
        path("<int:pk>/explained/", match_views.firm_match_detail, name="firm_detail"),
        path("operator/scoring/", match_views.scoring_runs, name="scoring_runs"),
        path("operator/scoring/start/", match_views.start_rescore, name="start_rescore"),
    ],
    "matches",
)

urlpatterns = [
    path("", views.home, name="home"),
    path("accounts/signup/", views.signup, name="signup"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("projects/", include("projects.urls")),
    path("offerings/", include("investors.urls")),
    path("matches/", include(match_patterns)),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
]
