"""The portal's URLs plus the benchmark's two points of comparison (never mounted in production)."""

from django.urls import path

from benchmark import views
from benchmark.admin_site import site
from esafety.urls import urlpatterns as portal_urlpatterns

urlpatterns = [
    path("bench/floor/", views.floor, name="bench_floor"),
    path("bench/admin/", site.urls),
    *portal_urlpatterns,
]
