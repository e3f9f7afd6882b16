import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Project


class ProjectFilter(django_filters.FilterSet):
    title = django_filters.CharFilter(lookup_expr="icontains", label=_("Title contains"))

    class Meta:
        model = Project
        fields = ["status", "segment", "stage", "title"]
