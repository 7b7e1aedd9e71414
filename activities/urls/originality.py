from django.urls import path

from ..views import originality

urlpatterns = [
    path(
        "originality/<str:kind>/<int:object_id>/<int:match_id>/",
        originality.originality_compare,
        name="originality_compare",
    ),
]
