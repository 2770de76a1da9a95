from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("courses/<int:course_id>/", views.course_view, name="course"),
    path("learners/<int:user_id>/", views.learner_view, name="learner"),
    path("export/<slug:report>/<slug:file_format>/", views.export_view, name="export"),
    path("exports/<int:export_id>/", views.export_status_view, name="export_status"),
    path("exports/<int:export_id>/status/", views.export_status_json, name="export_status_json"),
    path("exports/<int:export_id>/download/", views.export_download_view, name="export_download"),
]
