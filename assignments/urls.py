from django.urls import path

from . import views

app_name = "assignments"

urlpatterns = [
    path("", views.manage_view, name="manage"),
    path("my/", views.my_required_view, name="mine"),
    path("<int:pk>/edit/", views.edit_view, name="edit"),
    path("<int:pk>/withdraw/", views.withdraw_view, name="withdraw"),
    path("overdue/", views.overdue_view, name="overdue"),
]
