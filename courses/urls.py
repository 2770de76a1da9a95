from django.urls import path

from . import views

app_name = "courses"

urlpatterns = [
    path("steps/<int:step_id>/complete/", views.step_complete_view, name="step_complete"),
    path("courses/<int:course_id>/start/", views.course_start_view, name="course_start"),
    path("steps/<int:step_id>/quiz/start/", views.quiz_start_view, name="quiz_start"),
    path("my/", views.my_learning_view, name="my_learning"),
    path("images/<path:name>", views.cms_image_view, name="cms_image"),
]
