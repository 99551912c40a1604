from django.urls import path

from esig import views

app_name = "esig"

urlpatterns = [
    path("", views.meeting_list, name="meetings"),
    path("years/<int:year>/", views.meeting_list, name="year"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/attendance/", views.attendance_record, name="attendance"),
    path("meetings/<int:pk>/guests/", views.guest_add, name="guest_add"),
    path("meetings/<int:pk>/agenda/", views.agenda_item_add, name="agenda_add"),
    path("meetings/<int:pk>/minutes/", views.minutes_edit, name="minutes"),
    path("meetings/<int:pk>/minutes/download/", views.minutes_download, name="minutes_download"),
    path("meetings/<int:pk>/actions/", views.meeting_actions, name="meeting_actions"),
    path("rules/", views.rules_edit, name="rules"),
    path("training/", views.training_list, name="training"),
    path("training/years/<int:year>/", views.training_list, name="training_year"),
    path("training/new/", views.training_create, name="training_create"),
    path("training/<int:pk>/", views.training_detail, name="training_event"),
    path("training/<int:pk>/edit/", views.training_edit, name="training_edit"),
    path("training/<int:pk>/attendees/", views.training_attendee_add, name="training_attendee_add"),
    path("training/<int:pk>/headcounts/", views.training_headcount_add, name="training_headcount_add"),
    path("training/champions/", views.champion_training, name="champion_training"),
]
