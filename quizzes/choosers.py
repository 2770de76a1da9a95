"""Choosers for question-bank snippets: search and newest first.

Questions and quizzes are found through the search backend (search.backend: Chinese cut into words
by jieba, so 安全 or 数字证书 is found inside a stem, 结业 inside a quiz's title), newest first rather
than by rank. A subclass that names ``search_fields`` filters with the database's substring match
(``icontains``) on them instead."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.search.backends import get_search_backend
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet


class SubstringSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search term"), widget=forms.TextInput(attrs={"placeholder": _("Search")}), required=False
    )

    def __init__(self, *args, search_fields: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.search_fields = search_fields

    def filter(self, objects):
        query = (self.cleaned_data.get("q") or "").strip()
        if not query:
            return objects
        self.is_searching = True
        self.search_query = query
        if not self.search_fields:
            # The model's own search index; newest first, as without a query.
            return get_search_backend().search(query, objects, order_by_relevance=False)
        condition = Q()
        for field in self.search_fields:
            condition |= Q(**{f"{field}__icontains": query})
        return objects.filter(condition)


class SubstringSearchMixin:
    search_fields: tuple[str, ...] = ()

    def get_filter_form(self):
        return SubstringSearchForm(self.request.GET, search_fields=self.search_fields)


class SubstringChooseView(SubstringSearchMixin, ChooseView):
    pass


class SubstringChooseResultsView(SubstringSearchMixin, ChooseResultsView):
    pass


class SubstringSearchChooserViewSet(SnippetChooserViewSet):
    """Subclasses name the fields to search (none: the model's search index); newest first unless
    they set ``ordering``."""

    choose_view_class = SubstringChooseView
    choose_results_view_class = SubstringChooseResultsView
    search_fields: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("-pk",)  # newest first

    def get_common_view_kwargs(self, **kwargs):
        # Wagtail passes each view only the keyword arguments it has attributes for.
        return super().get_common_view_kwargs(search_fields=self.search_fields, ordering=self.ordering, **kwargs)


class QuizChooserViewSet(SubstringSearchChooserViewSet):
    # Newest first: the quiz a trainer has just written for this course is at the top.
    search_fields = ()  # the segmented search index (Quiz.search_fields)
    ordering = ("-id",)  # "id", not "pk": the search backend sorts only by an indexed filter field


class QuestionChooserViewSet(SubstringSearchChooserViewSet):
    search_fields = ()  # the segmented search index (Question.search_fields)
    ordering = ("-id",)  # "id", not "pk": the search backend sorts only by an indexed filter field
