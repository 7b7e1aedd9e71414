from django.contrib.auth.decorators import login_required
from django.urls import path

from . import views, views_login, views_setup

app_name = "members"

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("court/", login_required(views.my_court_redirect), name="my_court"),
    path("courts/<int:pk>/", views.court_detail, name="court_detail"),
    path("courts/<int:pk>/originality/", views.court_originality, name="court_originality"),
    path("departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("branches/<int:pk>/", views.branch_detail, name="branch_detail"),
    path("groups/<int:pk>/", views.group_detail, name="group_detail"),
    # The court's units, changed by an organizer of the whole court.
    path("courts/<int:pk>/departments/new/", views.department_create_view, name="department_create"),
    path("departments/<int:pk>/edit/", views.department_edit, name="department_edit"),
    path("departments/<int:pk>/delete/", views.department_delete_view, name="department_delete"),
    path("departments/<int:pk>/move/", views.department_move_view, name="department_move"),
    path("courts/<int:pk>/branches/new/", views.branch_create_view, name="branch_create"),
    path("branches/<int:pk>/edit/", views.branch_edit, name="branch_edit"),
    path("branches/<int:pk>/delete/", views.branch_delete_view, name="branch_delete"),
    path("courts/<int:pk>/groups/new/", views.group_create_view, name="group_create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/delete/", views.group_delete_view, name="group_delete"),
    path("groups/<int:pk>/members/add/", views.group_members_add, name="group_members_add"),
    path("groups/<int:pk>/members/<int:member_pk>/remove/", views.group_member_remove, name="group_member_remove"),
    path("groups/<int:pk>/members/<int:member_pk>/role/", views.group_member_role, name="group_member_role"),
    path("people/", views.member_list, name="member_list"),
    path("people/<int:pk>/", views.member_detail, name="member_detail"),
    path("people/<int:pk>/edit/", views.member_edit, name="member_edit"),
    path("people/<int:pk>/role/", views.member_role, name="member_role"),
    path("people/<int:pk>/password-reset/", views.member_password_reset, name="member_password_reset"),
    path("people/<int:pk>/active/", views.member_set_active_view, name="member_set_active"),
    path("people/<int:pk>/unlock/", views_login.member_login_unlock, name="member_login_unlock"),
    path("roster/import/", views.roster_import, name="roster_import"),
    path("roster/import/<uuid:token>/", views.roster_preview, name="roster_preview"),
    path("roster/import/<uuid:token>/confirm/", views.roster_confirm, name="roster_confirm"),
    path("roster/template.xlsx", views.roster_template, name="roster_template"),
    path("roster/export.xlsx", views.roster_export, name="roster_export"),
    path("audit/", views.audit_list, name="audit_list"),
    # The site admin's set-up: courts, their parent court, their first organizers and leaders.
    path("setup/", views_setup.court_list, name="setup_courts"),
    path("setup/courts/new/", views_setup.court_new, name="setup_court_new"),
    path("setup/courts/<int:pk>/", views_setup.court_setup, name="setup_court"),
    path("setup/courts/<int:pk>/edit/", views_setup.court_edit, name="setup_court_edit"),
    path("setup/login-locks/", views_login.login_locks, name="login_locks"),
    path("setup/login-locks/unlock/", views_login.login_unlock_address, name="login_unlock_address"),
]
