from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import sign_in_views
from accounts import views as account_views
from esafety import health, metrics, views

urlpatterns = [
    path("", views.home, name="home"),
    path("health/", health.ready, name="health"),
    path("health/live/", health.live, name="health_live"),
    path("health/ready/", health.ready, name="health_ready"),
    path("metrics", metrics.metrics, name="metrics"),
    path("login/", sign_in_views.LoginView.as_view(), name="login"),
    path("sign-in/callback/", sign_in_views.sign_in_callback, name="sign_in_callback"),
    path("sign-in/<slug:slug>/", sign_in_views.SignInStartView.as_view(), name="sign_in_start"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", sign_in_views.PasswordResetView.as_view(), name="password_reset"),
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
    path("account/sign-in/", sign_in_views.sign_in_domains, name="sign_in_domains"),
    path("account/sign-in/<int:pk>/", sign_in_views.sign_in_domain_edit, name="sign_in_domain_edit"),
    path("account/people/", sign_in_views.people_sign_ins, name="people_sign_ins"),
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
