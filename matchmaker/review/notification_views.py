"""Every signed-in user's notifications and notification settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from matchmaker.models import NotificationPreference
from matchmaker.review import notifications
from matchmaker.review.forms import NotificationPreferenceForm
from matchmaker.review.selectors import notifications_of


@login_required
def notification_list(request):
    if request.method == "POST":
        notifications.notifications_mark_read(by=request.user)
        return redirect("notifications:list")
    page = Paginator(notifications_of(request.user), 30).get_page(request.GET.get("page"))
    shown = list(page.object_list)
    for notification in shown:
        notification.shown_text = notifications.shown_text(notification)
    # Seen once listed: this page still marks them "new", the bell no longer counts them.
    notifications.notifications_mark_read(
        by=request.user, notification_ids=[n.pk for n in shown if n.read_at is None]
    )
    return render(request, "notifications/list.html", {"page": page, "shown": shown})


@login_required
def notification_settings(request):
    preference = NotificationPreference.of(request.user)
    form = NotificationPreferenceForm(
        request.POST if request.method == "POST" else None, instance=preference
    )
    if request.method == "POST" and form.is_valid():
        notifications.notification_preference_update(by=request.user, **form.cleaned_data)
        messages.success(request, _("Saved."))
        return redirect("notifications:settings")
    return render(request, "notifications/settings.html", {"form": form})
