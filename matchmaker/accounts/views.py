"""Pages that belong to neither side alone: home, sign-up."""

from django.contrib import messages
from django.contrib.auth import login
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from investors.selectors import offerings_visible_to
from matchmaker.accounts.backends import BACKEND
from matchmaker.accounts.forms import SignupForm
from matchmaker.accounts.languages import LANGUAGE_CODES, language_save
from matchmaker.accounts.membership import organization_of
from matchmaker.accounts.services import member_register
from matchmaker.operator.selectors import verification_queue
from projects.selectors import projects_visible_to


def home(request):
    organization = organization_of(request.user)
    context = {"organization": organization}
    if organization and organization.is_firm:
        context["recent_projects"] = projects_visible_to(request.user)[:5]
    elif organization:
        context["recent_offerings"] = offerings_visible_to(request.user)[:5]
    elif request.user.is_authenticated and request.user.is_staff:
        firms, institutions = verification_queue()
        context["waiting_verification"] = firms.count() + institutions.count()
    return render(request, "home.html", context)


def signup(request):
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        user, organization = member_register(
            username=data["username"],
            email=data["email"],
            password=data["password1"],
            organization_name=data["organization_name"],
            kind=data["kind"],
            institution_type=data.get("institution_type", ""),
            phone=data.get("phone", ""),
            full_name=data["full_name"],
        )
        login(request, user, backend=BACKEND)
        messages.success(
            request,
            # the banner below says what verification means; this only greets
            _("Welcome! %(name)s is registered.") % {"name": organization.name},
        )
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})


@require_POST
def set_language(request):
    """The header's 中文 / English switch: the cookie for everyone, the profile when signed
    in; back to the page it was pressed on."""
    language = request.POST.get("language", "")
    if language not in LANGUAGE_CODES:
        return redirect("home")
    language_save(user=request.user, language=language)
    response = django_set_language(request)
    return response
