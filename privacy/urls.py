from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.privacy_notice_view, name="notice"),
    path("my-data/", views.my_data_view, name="my_data"),
    path("my-data/<int:archive_id>/status/", views.archive_status_json, name="archive_status"),
    path("my-data/<int:archive_id>/download/", views.archive_download_view, name="archive_download"),
]
