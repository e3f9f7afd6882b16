from csp.decorators import csp_update
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from matchmaker.webhooks import api as webhooks

from . import views

router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False  # JSON only; suffix routes would only add ways to fail
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("projects", views.ProjectViewSet, basename="project")
router.register("offerings", views.OfferingViewSet, basename="offering")
router.register("matches", views.MatchViewSet, basename="match")
router.register("introductions", views.IntroductionViewSet, basename="introduction")
router.register("webhooks/endpoints", webhooks.EndpointViewSet, basename="webhook-endpoint")
router.register("webhooks/deliveries", webhooks.DeliveryViewSet, basename="webhook-delivery")

urlpatterns = [
    path("auth/register/", views.RegisterView.as_view(), name="register"),
    path("auth/token/", views.TokenView.as_view(), name="token"),
    path("webhooks/event-types/", webhooks.EventTypesView.as_view(), name="webhook-event-types"),
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
