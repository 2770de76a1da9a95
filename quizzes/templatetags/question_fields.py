"""`{{ question|question_fields }}`: one question of an open attempt, built by quizzes.question_fields."""

from django import template

from quizzes.question_fields import question_fields as build_question_fields

register = template.Library()


@register.filter
def question_fields(question):
    return build_question_fields(question)
