from django.urls import path

from . import views_home, views_search, views_workdays

urlpatterns = [
    path("", views_home.HomeView.as_view(), name="home"),
    path("search/", views_search.SearchView.as_view(), name="search"),
    path("workdays/", views_workdays.WorkdayYearListView.as_view(), name="workdays"),
    path("workdays/enter/", views_workdays.WorkdayYearEnterView.as_view(), name="workdays_enter"),
    path("workdays/<int:year>/", views_workdays.WorkdayYearView.as_view(), name="workdays_year"),
    path("workdays/<int:year>/days/", views_workdays.WorkdayDaySetView.as_view(), name="workdays_day_set"),
    path(
        "workdays/<int:year>/days/<str:day>/remove/",
        views_workdays.WorkdayDayRemoveView.as_view(),
        name="workdays_day_remove",
    ),
]
