"""The app's URLs plus a one-query baseline page, for the benchmark's requests-per-second ratio."""

from django.shortcuts import render
from django.urls import path

from courtlearn.urls import handler403, handler404, handler500  # noqa: F401
from courtlearn.urls import urlpatterns as app_urlpatterns
from members.models import Court


def baseline(request):
    """A template page with exactly one query: what any page costs at least on this server."""
    return render(request, "reports/bench_baseline.html", {"courts": Court.objects.count()})


urlpatterns = [path("bench/baseline/", baseline, name="bench_baseline"), *app_urlpatterns]
