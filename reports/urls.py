from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("courts/<int:court_pk>/<str:unit_kind>/<int:unit_pk>/", views.unit_detail, name="unit_detail"),
    path("courts/<int:court_pk>/rebuild/", views.rebuild, name="rebuild"),
    path("courts/<int:court_pk>/build-status/", views.build_status, name="build_status"),
    path("courts/<int:court_pk>/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("courts/<int:court_pk>/summary.docx", views.export_docx, name="export_docx"),
    path("courts/<int:court_pk>/summary/", views.summary_preview, name="summary_preview"),
    path("courts/<int:court_pk>/template/", views.template_edit, name="template_edit"),
    path("courts/<int:court_pk>/points/", views.points_edit, name="points_edit"),
    path("members/<int:pk>/profile/", views.member_profile, name="member_profile"),
]
