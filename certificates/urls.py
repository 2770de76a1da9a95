from django.urls import path

from . import views

app_name = "certificates"

urlpatterns = [
    path("", views.my_certificates_view, name="mine"),
    path("<int:certificate_id>/download/", views.download_view, name="download"),
    path("verify/", views.verify_form_view, name="verify_form"),
    path("verify/<str:code>/", views.verify_view, name="verify"),
]
