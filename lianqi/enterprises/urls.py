from django.urls import include, path

from . import views, views_tags

app_name = "enterprises"

urlpatterns: list = [
    path("", views.EnterpriseListView.as_view(), name="list"),
    path("export/", views.EnterpriseExportView.as_view(), name="export"),
    path("new/", views.EnterpriseCreateView.as_view(), name="create"),
    path("<int:pk>/", views.EnterpriseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.EnterpriseEditView.as_view(), name="edit"),
    path("<int:pk>/figures/", views.YearFigureSaveView.as_view(), name="year_figure_save"),
    path("<int:pk>/contacts/", views.ContactSaveView.as_view(), name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/", views.ContactSaveView.as_view(), name="contact_edit"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/delete/", views.ContactDeleteView.as_view(), name="contact_delete"
    ),
    path("<int:pk>/code.svg", views.QrSvgView.as_view(), name="qr_svg"),
    path("<int:pk>/code.png", views.QrPngView.as_view(), name="qr_png"),
    path("<int:pk>/code/print/", views.QrPrintView.as_view(), name="qr_print"),
    path("<int:pk>/code/rotate/", views.RotateCodeView.as_view(), name="rotate_code"),
    path("import/", include("lianqi.enterprises.import_urls")),
    path("tags/", views_tags.TagListView.as_view(), name="tags"),
    path("tags/new/", views_tags.TagCreateView.as_view(), name="tag_create"),
    path("tags/<int:pk>/edit/", views_tags.TagEditView.as_view(), name="tag_edit"),
    path("tags/<int:pk>/merge/", views_tags.TagMergeView.as_view(), name="tag_merge"),
    path("tags/<int:pk>/delete/", views_tags.TagDeleteView.as_view(), name="tag_delete"),
]
