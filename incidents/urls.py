from django.urls import path

from incidents import views

app_name = "incidents"

urlpatterns = [
    path("", views.incident_list, name="list"),
    path("new/", views.incident_start, name="start"),
    path("<int:pk>/", views.incident_detail, name="detail"),
    path("<int:pk>/report/<slug:page>/", views.incident_page, name="page"),
    path("<int:pk>/withdraw/", views.draft_withdraw, name="withdraw"),
    path("<int:pk>/history/", views.incident_history, name="history"),
    path("<int:pk>/triage/", views.incident_triage, name="triage"),
    path("<int:pk>/chronology/", views.chronology_add, name="chronology_add"),
    path("<int:pk>/referrals/new/", views.referral_add, name="referral_add"),
    path("<int:pk>/referrals/<int:referral_pk>/", views.referral_edit, name="referral_edit"),
    path("<int:pk>/close/", views.incident_close, name="close"),
    path("monitoring/", views.monitoring, name="monitoring"),
    path("monitoring.csv", views.monitoring_csv, name="monitoring_csv"),
]
