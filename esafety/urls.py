from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from esafety import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", auth_views.PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password/reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("agencies/", include("agencies.urls")),
    path("champions/", include("champions.urls")),
    path("esig/", include("esig.urls")),
    path("locations/", include("locations.urls")),
    path("audits/", include("audits.urls")),
    path("incidents/", include("incidents.urls")),
    path("action-plan/", include("actionplan.urls")),
    path("reports/", include("reports.urls")),
    path("reminders/", include("reminders.urls")),
    path("admin/", admin.site.urls),
]
