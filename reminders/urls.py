from django.urls import path

from reminders import views

app_name = "reminders"

urlpatterns = [
    path("", views.reminder_log, name="log"),
    path("rules/", views.rule_list, name="rules"),
    path("rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("schedule/", views.schedule_edit, name="schedule"),
    path("preferences/", views.preferences, name="preferences"),
]
