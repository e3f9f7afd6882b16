"""The rules a sign-up must keep, written once for the web form and the API."""

from django.utils.translation import gettext as _

from matchmaker.vocabulary import OrganizationKind


def institution_type_problem(kind: str, institution_type: str) -> str | None:
    """An institution must say what kind it is: the engine and the operator rely on it."""
    if kind == OrganizationKind.INSTITUTION and not institution_type:
        return _("Choose what kind of institution you work for.")
    return None
