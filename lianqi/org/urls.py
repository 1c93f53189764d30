from django.urls import path

from . import views

app_name = "org"

urlpatterns = [
    path("", views.JurisdictionTreeView.as_view(), name="jurisdictions"),
    path("jurisdictions/<int:pk>/add/", views.JurisdictionCreateView.as_view(), name="jurisdiction_create"),
    path("departments/", views.DepartmentListView.as_view(), name="departments"),
    path("departments/export/", views.DepartmentExportView.as_view(), name="department_export"),
    path("departments/add/", views.DepartmentCreateView.as_view(), name="department_create"),
    path("departments/<int:pk>/edit/", views.DepartmentUpdateView.as_view(), name="department_edit"),
    path("staff/", views.StaffListView.as_view(), name="staff"),
    path("staff/export/", views.StaffExportView.as_view(), name="staff_export"),
    path("staff/add/", views.StaffCreateView.as_view(), name="staff_create"),
    path("staff/<int:pk>/", views.StaffDetailView.as_view(), name="staff_detail"),
    path("staff/<int:pk>/edit/", views.StaffUpdateView.as_view(), name="staff_edit"),
    path("pick/staff/", views.StaffPickerView.as_view(), name="pick_staff"),
    path("pick/departments/", views.DepartmentPickerView.as_view(), name="pick_departments"),
]
