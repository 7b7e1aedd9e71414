from django.urls import path

from ..views import comments

urlpatterns = [
    path("comments/<int:content_type_id>/<int:object_id>/", comments.comment_add, name="comment_add"),
]
