from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("court/", login_required(views.my_court_redirect), name="my_court"),
    path("courts/<int:pk>/", views.court_detail, name="court_detail"),
    path("people/", views.member_list, name="member_list"),
    path("people/<int:pk>/", views.member_detail, name="member_detail"),
]
