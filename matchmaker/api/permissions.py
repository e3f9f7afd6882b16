"""Role checks for the API; object scoping reuses the querysets the web pages use."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from investors.models import InstitutionMember
from projects.models import FirmMember


class IsFirmMember(BasePermission):
    message = _("Only members of a space firm can use this endpoint.")

    def has_permission(self, request, view) -> bool:
        return (
            request.user.is_authenticated and FirmMember.objects.filter(user=request.user).exists()
        )


class IsInstitutionMember(BasePermission):
    message = _("Only members of a financial institution can use this endpoint.")

    def has_permission(self, request, view) -> bool:
        return (
            request.user.is_authenticated
            and InstitutionMember.objects.filter(user=request.user).exists()
        )


class IsFirmOrInstitutionMember(BasePermission):
    message = _("Only members of a firm or an institution can use this endpoint.")

    def has_permission(self, request, view) -> bool:
        return IsFirmMember().has_permission(request, view) or IsInstitutionMember().has_permission(
            request, view
        )
