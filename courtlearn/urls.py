from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from members import views as member_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("me/", views.my_learning, name="my_learning"),
    path("manage/", views.manage, name="manage"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/login/", member_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", member_views.password_change, name="password_change"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("members/", include("members.urls")),
    path("activities/", include("activities.urls")),
    path("reports/", include("reports.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "courtlearn.views.error_403"
handler404 = "courtlearn.views.error_404"
handler500 = "courtlearn.views.error_500"
