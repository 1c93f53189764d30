"""Addresses of the register's pages under /enterprises/ (namespace ``enterprises``): the list,
an enterprise's file and the writes on it, its code images, the Excel import (`importing`) and
the tag vocabulary. The public code pages under /c/ are `urls.code` (namespace ``codes``)."""

from django.urls import URLPattern, URLResolver, include, path

from ..views import detail, file, lists, qr, register, tags

app_name = "enterprises"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", lists.EnterpriseListView.as_view(), name="list"),
    path("export/", lists.EnterpriseExportView.as_view(), name="export"),
    path("pick/", lists.EnterprisePickerView.as_view(), name="pick"),
    path("new/", register.EnterpriseCreateView.as_view(), name="create"),
    path("<int:pk>/", detail.EnterpriseDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", register.EnterpriseEditView.as_view(), name="edit"),
    path("<int:pk>/figures/", register.YearFigureSaveView.as_view(), name="year_figure_save"),
    path("<int:pk>/contacts/", register.ContactSaveView.as_view(), name="contact_add"),
    path("<int:pk>/contacts/<int:contact_pk>/", register.ContactSaveView.as_view(), name="contact_edit"),
    path(
        "<int:pk>/contacts/<int:contact_pk>/delete/",
        register.ContactDeleteView.as_view(),
        name="contact_delete",
    ),
    path("<int:pk>/sections/figures/", file.FiguresSectionView.as_view(), name="figures_section"),
    path("<int:pk>/sections/contacts/", file.ContactsSectionView.as_view(), name="contacts_section"),
    path("<int:pk>/code.svg", qr.QrSvgView.as_view(), name="qr_svg"),
    path("<int:pk>/code.png", qr.QrPngView.as_view(), name="qr_png"),
    path("<int:pk>/code/print/", qr.QrPrintView.as_view(), name="qr_print"),
    path("<int:pk>/code/rotate/", qr.RotateCodeView.as_view(), name="rotate_code"),
    path("import/", include("lianqi.enterprises.urls.importing")),
    path("tags/", tags.TagListView.as_view(), name="tags"),
    path("tags/new/", tags.TagCreateView.as_view(), name="tag_create"),
    path("tags/<int:pk>/edit/", tags.TagEditView.as_view(), name="tag_edit"),
    path("tags/<int:pk>/merge/", tags.TagMergeView.as_view(), name="tag_merge"),
    path("tags/<int:pk>/delete/", tags.TagDeleteView.as_view(), name="tag_delete"),
]
