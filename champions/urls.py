from django.urls import path

from champions import views

app_name = "champions"

urlpatterns = [
    path("", views.champion_list, name="list"),
    path("champions.csv", views.champion_csv, name="csv"),
    path("agency/<int:agency_pk>/nominate/", views.nomination_create, name="nominate"),
    path("nominations/<int:pk>/edit/", views.nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/end/", views.nomination_end, name="nomination_end"),
    path("confirmation-rounds/", views.round_list, name="round_list"),
    path("confirmation-rounds/new/", views.round_create, name="round_create"),
    path("confirmation-rounds/<int:pk>/", views.round_detail, name="round_detail"),
    path("confirm/<int:pk>/", views.confirm, name="confirm"),
]
