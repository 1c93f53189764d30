"""The addresses of the market's pages (`config/urls.py` puts them under ``/market/``), and
the one under the enterprise's code, which `apps.py` registers in the ``codes`` namespace."""

from django.urls import path

from .views import brochure, chains, purchases
from .views import listings as views

app_name = "market"

urlpatterns = [
    path("", views.NeedListView.as_view(), name="needs"),
    path("offers/", views.OfferListView.as_view(), name="offers"),
    path("offers/export/", views.ListingExportView.as_view(kind="offers"), name="offers_export"),
    path("needs/export/", views.ListingExportView.as_view(kind="needs"), name="needs_export"),
    path("offers/<int:pk>/", views.OfferDetailView.as_view(), name="offer"),
    path("offers/<int:pk>/edit/", views.ListingEditView.as_view(kind="offer"), name="offer_edit"),
    path("needs/<int:pk>/edit/", views.ListingEditView.as_view(kind="need"), name="need_edit"),
    path("offers/<int:pk>/withdraw/", views.WithdrawView.as_view(kind="offer"), name="offer_withdraw"),
    path("needs/<int:pk>/", views.NeedDetailView.as_view(), name="need"),
    path("needs/<int:pk>/withdraw/", views.WithdrawView.as_view(kind="need"), name="need_withdraw"),
    path("needs/<int:pk>/introduce/", views.IntroduceView.as_view(), name="introduce"),
    path("introductions/", views.IntroductionListView.as_view(), name="introductions"),
    path("introductions/<int:pk>/", views.IntroductionDetailView.as_view(), name="introduction"),
    path(
        "introductions/<int:pk>/<str:action>/",
        views.IntroductionStepView.as_view(),
        name="introduction_step",
    ),
    path("fairs/", views.FairListView.as_view(), name="fairs"),
    path("fairs/new/", views.FairCreateView.as_view(), name="fair_create"),
    path("fairs/<int:pk>/", views.FairDetailView.as_view(), name="fair"),
    path("fairs/<int:pk>/participants/", views.FairParticipantView.as_view(), name="fair_participant"),
    path("fairs/<int:pk>/invitations/", views.FairInvitationsView.as_view(), name="fair_invitations"),
    path("fairs/<int:pk>/deals/", views.FairDealView.as_view(), name="fair_deal"),
    path("enterprises/<int:pk>/", views.MarketEnterpriseSectionView.as_view(), name="enterprise_section"),
    path(
        "enterprises/<int:pk>/offers/new/", views.ListingCreateView.as_view(kind="offer"), name="offer_create"
    ),
    path("enterprises/<int:pk>/needs/new/", views.ListingCreateView.as_view(kind="need"), name="need_create"),
    path("purchases/", purchases.PurchaseListView.as_view(), name="purchases"),
    path("purchases/export/", purchases.PurchaseExportView.as_view(), name="purchases_export"),
    path("purchases/<int:pk>/edit/", purchases.PurchaseEditView.as_view(), name="purchase_edit"),
    path("purchases/import/", purchases.PurchaseImportView.as_view(), name="purchase_import"),
    path(
        "enterprises/<int:pk>/purchases/new/",
        purchases.PurchaseCreateView.as_view(),
        name="purchase_create",
    ),
    path("chains/", chains.ChainListView.as_view(), name="chains"),
    path("chains/<int:pk>/", chains.ChainDetailView.as_view(), name="chain"),
    path("chains/<int:pk>/export/", chains.ChainExportView.as_view(), name="chain_export"),
    path(
        "chains/<int:pk>/firms/<int:firm>/remove/",
        chains.ChainFirmRemoveView.as_view(),
        name="chain_firm_remove",
    ),
    path("chains/<int:pk>/<str:what>/", chains.ChainEditView.as_view(), name="chain_edit"),
    path("subsidy/", chains.SubsidyView.as_view(), name="subsidy"),
    path("brochure/<str:code>/", brochure.BrochureView.as_view(), name="brochure"),
    path("brochure/<str:code>/document/", brochure.BrochureDocumentView.as_view(), name="brochure_document"),
    path("brochure/<str:code>/pdf/", brochure.BrochurePdfView.as_view(), name="brochure_pdf"),
]

code_urlpatterns = [
    path("<str:token>/market/", views.MarketCodeListView.as_view(), name="market_list"),
]
