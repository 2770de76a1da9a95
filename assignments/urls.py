from django.urls import path

from . import views

app_name = "assignments"

urlpatterns = [
    path("", views.manage_view, name="manage"),
    path("my/", views.my_required_view, name="mine"),
    path("overdue/", views.overdue_view, name="overdue"),
]
