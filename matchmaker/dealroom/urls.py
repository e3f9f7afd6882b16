from django.urls import path

from matchmaker.dealroom import views

app_name = "dealroom"

urlpatterns = [
    path("", views.room_list, name="list"),
    path("<int:pk>/", views.room_detail, name="room"),
    path("<int:pk>/requests/", views.request_create, name="request_create"),
    path("<int:pk>/documents/<int:document_pk>/", views.room_document, name="document"),
    path(
        "<int:pk>/documents/<int:document_pk>/share/",
        views.document_share,
        name="document_share",
    ),
    path(
        "<int:pk>/documents/<int:document_pk>/withdraw/",
        views.document_withdraw,
        name="document_withdraw",
    ),
    path("<int:pk>/threads/", views.thread_create, name="thread_create"),
    path("requests/<int:pk>/answer/", views.request_answer, name="request_answer"),
    path("requests/<int:pk>/file/", views.request_file, name="request_file"),
    path("threads/<int:pk>/", views.thread_detail, name="thread"),
    path("threads/<int:pk>/reply/", views.thread_reply, name="thread_reply"),
    path("messages/<int:pk>/file/", views.message_file, name="message_file"),
]
