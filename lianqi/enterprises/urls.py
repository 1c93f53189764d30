from django.urls import include, path

app_name = "enterprises"

urlpatterns: list = [
    path("import/", include("lianqi.enterprises.import_urls")),
]
