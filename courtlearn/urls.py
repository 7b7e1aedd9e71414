from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from members import views as member_views

from . import views

# Django admin in the product's words; its "查看站点" leads to the product (a site admin lands on
# the courts' set-up there), never back to the admin.
admin.site.site_header = _("Court learning · site administration")
admin.site.site_title = _("Court learning · site administration")
admin.site.index_title = _("All data")
admin.site.site_url = reverse_lazy("home")

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
