from django.urls import path

from matchmaker.programme import views

app_name = "programme"
urlpatterns = [
    path("office/", views.office, name="office"),
    path("office/tools/new/", views.tool_new, name="tool_new"),
    path("office/tools/<int:pk>/", views.tool_edit, name="tool_edit"),
    path("office/tools/<int:pk>/<int:year>/", views.tool_year, name="tool_year"),
    path("office/tools/<int:pk>/<int:year>.csv", views.tool_year_csv, name="tool_year_csv"),
    path("office/memberships/<int:pk>/", views.membership_decide, name="membership_decide"),
    path("office/enrolments/<int:pk>/", views.enrolment_decide, name="enrolment_decide"),
    path(
        "office/entitlements/<int:pk>/publish/",
        views.entitlement_publish,
        name="entitlement_publish",
    ),
    path(
        "office/entitlements/<int:pk>/refuse/", views.entitlement_refuse, name="entitlement_refuse"
    ),
    path("office/entitlements/<int:pk>/pay/", views.entitlement_pay, name="entitlement_pay"),
    path(
        "office/objections/<int:pk>/resolve/",
        views.objection_resolve,
        name="objection_resolve",
    ),
    path("public/", views.public_list, name="public_list"),
    path("public/<int:pk>/object/", views.objection_lodge, name="objection_lodge"),
    path("office/claims/<int:pk>/", views.claim_decide, name="claim_decide"),
    path("office/standing/", views.standing_set, name="standing_set"),
    path("firm/", views.firm_page, name="firm"),
    path("firm/lists/", views.membership_claim, name="membership_claim"),
    path("firm/deals/<int:pk>/confirm/", views.deal_confirm, name="deal_confirm"),
    path(
        "firm/entitlements/<int:pk>/confirm/",
        views.entitlement_confirm,
        name="entitlement_confirm",
    ),
    path("institution/", views.financier_page, name="financier"),
    path("institution/enrol/", views.enrol, name="enrol"),
    path(
        "institution/enrolments/<int:pk>/withdraw/",
        views.enrolment_withdraw,
        name="enrolment_withdraw",
    ),
    path("institution/claims/", views.claim_report, name="claim_report"),
    path("institution/matches/<int:pk>/close/", views.deal_close, name="deal_close"),
]
