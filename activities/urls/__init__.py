"""Activity URLs, one module per family, all under the `activities` namespace."""

from . import comments, contests, originality, plans, reading, sessions

app_name = "activities"

urlpatterns = [
    *comments.urlpatterns,
    *reading.urlpatterns,
    *sessions.urlpatterns,
    *contests.urlpatterns,
    *plans.urlpatterns,
    *originality.urlpatterns,
]
