from django.urls import path

from . import views

app_name = "hours"

urlpatterns = [
    path("", views.my_hours_view, name="mine"),
    path("compliance/", views.compliance_view, name="compliance"),
    path("compliance/export/<slug:file_format>/", views.compliance_export_view, name="compliance_export"),
    path("offline/pending/", views.pending_view, name="pending"),
    path("offline/<int:declaration_id>/decide/", views.decide_view, name="decide"),
    path("offline/<int:declaration_id>/attachment/", views.attachment_view, name="attachment"),
    path("integrity/", views.integrity_view, name="integrity"),
    path("integrity/learner/<int:user_id>/", views.integrity_learner_view, name="integrity_learner"),
    path("integrity/decide/", views.integrity_decide_view, name="integrity_decide"),
    path("integrity/export/<slug:file_format>/", views.integrity_export_view, name="integrity_export"),
    path("reviews/<int:entry_id>/decide/", views.review_decide_view, name="review_decide"),
]
