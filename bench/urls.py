"""The product's URLs (and error handlers, if it sets any) with the baselines at /bench/."""

from django.urls import include, path

from tinhso.urls import *  # noqa: F403
from tinhso.urls import urlpatterns as product_urlpatterns

urlpatterns = [path("bench/", include("bench.baselines")), *product_urlpatterns]
