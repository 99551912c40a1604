from django.urls import path

from actionplan import views

app_name = "actionplan"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:pk>/", views.plan_dashboard, name="plan_dashboard"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:pk>/archive/", views.plan_archive, name="plan_archive"),
    path("plans/<int:pk>/table/", views.plan_table, name="plan_table"),
    path("plans/<int:pk>/structure/", views.plan_structure, name="plan_structure"),
    path("plans/<int:pk>/priorities/new/", views.priority_form, name="priority_create"),
    path("plans/<int:pk>/priorities/<int:priority_pk>/edit/", views.priority_form, name="priority_edit"),
    path("plans/<int:pk>/objectives/new/", views.objective_form, name="objective_create"),
    path("plans/<int:pk>/objectives/<int:objective_pk>/edit/", views.objective_form, name="objective_edit"),
    path("plans/<int:pk>/actions/new/", views.action_create, name="action_create"),
    path("plans/<int:pk>/import/", views.plan_import, name="plan_import"),
    path("plans/<int:pk>/export.<str:fmt>", views.plan_export, name="plan_export"),
    path("plans/<int:pk>/status-history/", views.status_history, name="status_history"),
    path("plans/<int:pk>/progress-updates/", views.progress_updates, name="progress_updates"),
    path("actions/", views.action_list, name="action_list"),
    path("actions/<int:pk>/", views.action_detail, name="action_detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:pk>/update/", views.progress_update, name="progress_update"),
    path("actions/<int:pk>/status/", views.status_change, name="status_change"),
    path("actions/<int:pk>/archive/", views.action_archive, name="action_archive"),
]
