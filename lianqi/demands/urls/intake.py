"""Intake pages: the liaison's phone view, the intake form with its htmx helpers, and the
category catalogue with its routing per jurisdiction."""

from __future__ import annotations

from django.urls import URLPattern, path

from ..views import catalogue as views_catalogue
from ..views import intake as views_intake

urlpatterns: list[URLPattern] = [
    path("mine/", views_intake.LiaisonHomeView.as_view(), name="liaison_home"),
    # The same address under the enterprise's name for it: the menu keys its entries by name.
    path("mine/", views_intake.LiaisonHomeView.as_view(), name="enterprise_demands"),
    path("new/", views_intake.DemandCreateView.as_view(), name="create"),
    path("new/duplicates/", views_intake.DuplicatesView.as_view(), name="duplicates"),
    path("new/enterprises/", views_intake.EnterpriseOptionsView.as_view(), name="intake_enterprises"),
    path("categories/", views_catalogue.CategoryListView.as_view(), name="categories"),
    path("categories/export/", views_catalogue.CategoryExportView.as_view(), name="categories_export"),
    path("categories/new/", views_catalogue.CategoryCreateView.as_view(), name="category_create"),
    path("categories/<int:pk>/edit/", views_catalogue.CategoryUpdateView.as_view(), name="category_update"),
    path("categories/<int:pk>/routing/", views_catalogue.RoutingUpdateView.as_view(), name="routing_update"),
]
