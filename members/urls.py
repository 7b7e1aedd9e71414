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
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("branches/<int:pk>/", views.branch_detail, name="branch_detail"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    path("people/", views.member_list, name="member_list"),
    path("people/<int:pk>/", views.member_detail, name="member_detail"),
    path("people/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("people/<int:pk>/role/", views.member_role, name="member_role"),
    path("people/<int:pk>/password-reset/", views.member_password_reset, name="member_password_reset"),
    path("people/<int:pk>/active/", views.member_set_active_view, name="member_set_active"),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("roster/import/<uuid:token>/", views.roster_preview, name="roster_preview"),
    path("roster/import/<uuid:token>/confirm/", views.roster_confirm, name="roster_confirm"),
    path("roster/template.xlsx", views.roster_template, name="roster_template"),
    path("roster/export.xlsx", views.roster_export, name="roster_export"),
    path("audit/", views.audit_list, name="audit_list"),
]
