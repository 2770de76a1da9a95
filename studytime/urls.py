from django.urls import path

from . import views

app_name = "studytime"

urlpatterns = [
    path("beat/", views.beat_view, name="beat"),
]
