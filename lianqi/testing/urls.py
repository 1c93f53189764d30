"""The test suite's address book: the project's own (`config.urls`) and the pages of the
test-only sample wing under ``/sample/``, where `config/urls.py` puts a real wing's pages."""

from django.urls import include, path

from config.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("sample/", include("lianqi.testing.sample.urls")),
]
