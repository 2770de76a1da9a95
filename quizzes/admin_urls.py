"""URLs of the question-bank tools, mounted by wagtail_hooks under /admin/question-bank/
(namespace "quizzes_admin"); Wagtail's admin requires wagtailadmin.access_admin in front."""

from django.urls import path

from . import admin_views

app_name = "quizzes_admin"

urlpatterns = [
    path("", admin_views.IndexView.as_view(), name="index"),
    path("import/", admin_views.ImportView.as_view(), name="import"),
    path("import/confirm/", admin_views.ImportConfirmView.as_view(), name="import_confirm"),
    path("export/", admin_views.ExportView.as_view(), name="export"),
    path("template.xlsx", admin_views.ExcelTemplateView.as_view(), name="excel_template"),
    path("quizzes/", admin_views.QuizListView.as_view(), name="quizzes"),
    path("quizzes/<int:quiz_id>/analysis/", admin_views.ItemAnalysisView.as_view(), name="item_analysis"),
    path("quizzes/<int:quiz_id>/attempts/", admin_views.AttemptListView.as_view(), name="attempts"),
    path("attempts/<int:attempt_id>/", admin_views.AttemptDetailView.as_view(), name="attempt"),
    path(
        "attempts/<int:attempt_id>/questions/<int:position>/override/",
        admin_views.GradeOverrideView.as_view(),
        name="grade_override",
    ),
    path("essays/", admin_views.EssayQueueView.as_view(), name="essays"),
    path("essays/<int:attempt_question_id>/", admin_views.EssayGradeView.as_view(), name="essay_grade"),
    path("questions/<int:question_id>/regrade/", admin_views.QuestionRegradeView.as_view(), name="regrade"),
]
