from django.urls import path

from reports import picture_views, views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("generate/", views.report_generate, name="generate"),
    path("preview/<int:year>/", views.report_preview, name="preview"),
    path("partnership-picture/", picture_views.partnership_picture, name="picture"),
    path("<int:pk>/", views.report_detail, name="detail"),
    path("<int:pk>/status/", views.report_status, name="status"),
    path("<int:pk>/download/", views.report_download, name="download"),
    path("<int:pk>/retry/", views.report_retry, name="retry"),
    path("<int:pk>/board-version/", views.report_mark_board_version, name="mark_board_version"),
]
