from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import views as account_views
from esafety import health, metrics, views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", health.ReadyView.as_view(), name="health"),
    path("health/live/", health.live, name="health_live"),
    path("health/ready/", health.ReadyView.as_view(), name="health_ready"),
    path("metrics", metrics.metrics, name="metrics"),
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
    path("account/two-factor/", account_views.two_factor_settings, name="two_factor_settings"),
    path("account/two-factor/setup/", account_views.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", account_views.two_factor_verify, name="two_factor_verify"),
    path("account/two-factor/backup-codes/", account_views.backup_codes_new, name="backup_codes_new"),
    path("account/support/", account_views.account_support, name="account_support"),
    path("account/unlock/<str:token>/", account_views.account_unlock_link, name="account_unlock"),
    path("agencies/", include("agencies.urls")),
    path("champions/", include("champions.urls")),
    path("esig/", include("esig.urls")),
    path("locations/", include("locations.urls")),
    path("audits/", include("audits.urls")),
    path("incidents/", include("incidents.urls")),
    path("action-plan/", include("actionplan.urls")),
    path("reports/", include("reports.urls")),
    path("open-data/", include("reports.open_data_urls")),
    path("reminders/", include("reminders.urls")),
    path("audit-trail/", include("activity.urls")),
    path("imports/", include("imports.urls")),
    path("admin/", admin.site.urls),
]
