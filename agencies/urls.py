from django.urls import path

from agencies import views

app_name = "agencies"

urlpatterns = [
    path("", views.agency_list, name="list"),
    path("new/", views.agency_create, name="create"),
    path("joining-dates/", views.joining_dates, name="joining_dates"),
    path("<int:pk>/", views.agency_detail, name="detail"),
    path("<int:pk>/edit/", views.agency_edit, name="edit"),
    path("<int:pk>/archive/", views.agency_archive, name="archive"),
    path("<int:pk>/data-export/", views.agency_data_export, name="data_export"),
    path("<int:pk>/staff/", views.membership_add, name="membership_add"),
    path("<int:pk>/staff/<int:membership_pk>/end/", views.membership_end, name="membership_end"),
]
