from django.urls import path

from . import views

app_name = "investors"

urlpatterns = [
    path("", views.offering_list, name="list"),
    path("new/", views.offering_create, name="create"),
    path("<int:pk>/", views.offering_detail, name="detail"),
    path("<int:pk>/edit/", views.offering_edit, name="edit"),
    path("<int:pk>/status/", views.offering_status, name="status"),
]
