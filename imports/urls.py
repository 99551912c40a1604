from django.urls import path

from imports import views

app_name = "imports"

urlpatterns = [
    path("<slug:kind>/<int:target_id>/upload/", views.upload, name="upload"),
    path("<int:pk>/columns/", views.columns, name="columns"),
    path("<int:pk>/preview/", views.preview, name="preview"),
]
