from django.urls import path

from . import views_home

urlpatterns = [
    path("", views_home.HomeView.as_view(), name="home"),
]
