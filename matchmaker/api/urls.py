from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from matchmaker.webhooks import api as webhooks

from . import (
    accounts,
    dealroom,
    introductions,
    matches,
    notifications,
    offerings,
    operator,
    programme,
    projects,
    saved_views,
)

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False  # JSON only; suffix routes would only add ways to fail
router.register("organizations", accounts.OrganizationViewSet, basename="organization")
router.register("projects", projects.ProjectViewSet, basename="project")
router.register("offerings", offerings.OfferingViewSet, basename="offering")
router.register("matches", matches.MatchViewSet, basename="match")
router.register("introductions", introductions.IntroductionViewSet, basename="introduction")
dealroom.register(router)
router.register("programme/tools", programme.ToolViewSet, basename="programme-tool")
router.register(
    "programme/memberships", programme.MembershipViewSet, basename="programme-membership"
)
router.register("programme/enrolments", programme.EnrolmentViewSet, basename="programme-enrolment")
router.register("programme/deals", programme.DealViewSet, basename="programme-deal")
router.register(
    "programme/entitlements", programme.EntitlementViewSet, basename="programme-entitlement"
)
router.register("programme/claims", programme.ClaimViewSet, basename="programme-claim")
router.register(
    "programme/public-list", programme.PublicListViewSet, basename="programme-public-list"
)
router.register("programme/objections", programme.ObjectionViewSet, basename="programme-objection")
router.register("saved-views", saved_views.SavedViewViewSet, basename="saved-view")
router.register("notifications", notifications.NotificationViewSet, basename="notification")
router.register("webhooks/endpoints", webhooks.EndpointViewSet, basename="webhook-endpoint")
router.register("webhooks/deliveries", webhooks.DeliveryViewSet, basename="webhook-delivery")
router.register("operator/scoring-runs", operator.ScoringRunViewSet, basename="scoring-run")

urlpatterns = [
    path("auth/register/", accounts.RegisterView.as_view(), name="register"),
    path("auth/token/", accounts.TokenView.as_view(), name="token"),
    path("programme/standing/", programme.StandingView.as_view(), name="programme-standing"),
    path(
        "notifications/preferences/",
        notifications.NotificationPreferenceView.as_view(),
        name="notification-preferences",
    ),
    path("webhooks/event-types/", webhooks.EventTypesView.as_view(), name="webhook-event-types"),
    path("operator/market/", operator.MarketView.as_view(), name="operator-market"),
    path("operator/exports/<slug:table>/", operator.ExportView.as_view(), name="operator-export"),
    path("operator/declines/", operator.DeclinesView.as_view(), name="operator-declines"),
    path(
        "operator/verification/",
        operator.VerificationQueueView.as_view(),
        name="operator-verification",
    ),
    path("operator/weights/", operator.WeightsView.as_view(), name="operator-weights"),
    path(
        "operator/weights/preview/",
        operator.WeightsPreviewView.as_view(),
        name="operator-weights-preview",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets style attributes from its own script: allowed on this page only
    # (scripts stay 'self'-only), so its browser console shows no CSP errors.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path("", include(router.urls)),
]
