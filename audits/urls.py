from django.urls import path

from audits import views

app_name = "audits"

urlpatterns = [
    path("", views.index, name="index"),
    path("templates/", views.template_list, name="template_list"),
    path("templates/import/", views.template_import, name="template_import"),
    path("templates/versions/<int:pk>/", views.template_version, name="template_version"),
    path("cycles/new/", views.cycle_create, name="cycle_create"),
    path("cycles/<int:pk>/", views.cycle_detail, name="cycle_detail"),
    path("cycles/<int:pk>/collation/", views.collation, name="collation"),
    path("cycles/<int:pk>/collation.csv", views.collation_export, {"fmt": "csv"}, name="collation_csv"),
    path("cycles/<int:pk>/collation.xlsx", views.collation_export, {"fmt": "xlsx"}, name="collation_xlsx"),
    path("cycles/<int:pk>/gaps/", views.cycle_gaps, name="cycle_gaps"),
    path("cycles/<int:pk>/gaps.csv", views.cycle_gaps, {"fmt": "csv"}, name="cycle_gaps_csv"),
    path("returns/<int:pk>/", views.return_detail, name="return_detail"),
    path("returns/<int:pk>/sections/<slug:key>/", views.return_section, name="return_section"),
    path("returns/<int:pk>/submit/", views.return_submit, name="return_submit"),
    path("returns/<int:pk>/send-back/", views.return_send_back, name="return_send_back"),
    path("returns/<int:pk>/accept/", views.return_accept, name="return_accept"),
    path("returns/<int:pk>/moderate/", views.return_moderate, name="return_moderate"),
    path("returns/<int:pk>/changes/", views.return_changes, name="return_changes"),
    path("returns/<int:pk>/gaps/", views.return_gaps, name="return_gaps"),
    path("returns/<int:pk>/gaps.csv", views.return_gaps, {"fmt": "csv"}, name="return_gaps_csv"),
    path("returns/<int:pk>/evidence/", views.evidence_upload, name="evidence_upload"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:pk>/remove/", views.evidence_archive, name="evidence_archive"),
]
