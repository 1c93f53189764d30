from django.urls import path

from .views import exportlog, home, search, workdays

urlpatterns = [
    path("", home.HomeView.as_view(), name="home"),
    path("search/", search.SearchView.as_view(), name="search"),
    path("exports/", exportlog.ExportLogView.as_view(), name="export_log"),
    path("exports/xlsx/", exportlog.ExportLogExportView.as_view(), name="export_log_xlsx"),
    path("exports/<int:pk>/", exportlog.ExportRecordView.as_view(), name="export_record"),
    path("workdays/", workdays.WorkdayYearListView.as_view(), name="workdays"),
    path("workdays/enter/", workdays.WorkdayYearEnterView.as_view(), name="workdays_enter"),
    path("workdays/<int:year>/", workdays.WorkdayYearView.as_view(), name="workdays_year"),
    path("workdays/<int:year>/days/", workdays.WorkdayDaySetView.as_view(), name="workdays_day_set"),
    path(
        "workdays/<int:year>/days/<str:day>/remove/",
        workdays.WorkdayDayRemoveView.as_view(),
        name="workdays_day_remove",
    ),
]
