"""Stable addresses of the open-data feed: the version is part of the address, so v1 never changes shape."""

from django.urls import path

from reports import open_data_views

app_name = "open_data"

urlpatterns = [
    path("", open_data_views.about, name="about"),
    path("v1/incident-figures.csv", open_data_views.figures_csv, name="figures_csv"),
    path("v1/incident-figures.json", open_data_views.figures_json, name="figures_json"),
    path("switch/", open_data_views.switch, name="switch"),
]
