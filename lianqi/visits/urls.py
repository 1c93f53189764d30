"""The addresses of the visits' pages (`config/urls.py` puts them under ``/visits/``)."""

app_name = "visits"

urlpatterns: list = []
