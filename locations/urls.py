from django.urls import path

from locations import views

app_name = "locations"

urlpatterns = [
    path("", views.location_list, name="list"),
    path("agency/<int:agency_pk>/", views.agency_register, name="agency"),
    path("agency/<int:agency_pk>/new/", views.location_create, name="create"),
    path("<int:pk>/edit/", views.location_edit, name="edit"),
    path("<int:pk>/checked/", views.location_checked, name="checked"),
    path("<int:pk>/archive/", views.location_archive, name="archive"),
    path("<int:pk>/reviews/", views.review_list, name="reviews"),
    path("<int:pk>/reviews/new/", views.review_create, name="review_create"),
    path("reviews/overdue/", views.reviews_overdue, name="reviews_overdue"),
]
