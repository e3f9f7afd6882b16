"""Role checks for the API: the same `firm_of` / `institution_of` the web pages use.

Object scoping is the selectors' job (each view's ``get_queryset``), so another tenant's
object is a 404 here as on the web.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission

from investors.selectors import institution_of
from projects.selectors import firm_of


class IsFirmMember(BasePermission):
    message = _("Only members of a space firm can use this endpoint.")

    def has_permission(self, request, view) -> bool:
        return firm_of(request.user) is not None


class IsInstitutionMember(BasePermission):
    message = _("Only members of a financial institution can use this endpoint.")

    def has_permission(self, request, view) -> bool:
        return institution_of(request.user) is not None


class IsFirmOrInstitutionMember(BasePermission):
    message = _("Only members of a firm or an institution can use this endpoint.")

    def has_permission(self, request, view) -> bool:
        return firm_of(request.user) is not None or institution_of(request.user) is not None
