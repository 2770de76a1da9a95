from django.urls import path

from . import views

app_name = "quizzes"

urlpatterns = [
    path("attempts/<int:attempt_id>/", views.attempt_view, name="attempt"),
    path("attempts/<int:attempt_id>/autosave/", views.attempt_autosave_view, name="autosave"),
    path("attempts/<int:attempt_id>/submit/", views.attempt_submit_view, name="submit"),
    path("attempts/<int:attempt_id>/review/", views.attempt_review_view, name="review"),
]
