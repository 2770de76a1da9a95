"""Choosers for question-bank snippets: substring search and newest first.

Wagtail's chooser searches indexed models through the search backend, whose database backend
splits text on spaces and so finds nothing inside a Chinese sentence (and Quiz is not indexed at
all, so its chooser had no search). These choosers filter with the database's own substring
match (``icontains``) on the listed fields instead: fine at a city's question-bank sizes, the
same on SQLite and PostgreSQL. A segmenting search backend is a separate decision."""

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
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
    """Subclasses name the fields to search; newest first unless they set ``ordering``."""

    choose_view_class = SubstringChooseView
    choose_results_view_class = SubstringChooseResultsView
    search_fields: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ("-pk",)  # newest first

    def get_common_view_kwargs(self, **kwargs):
        # Wagtail passes each view only the keyword arguments it has attributes for.
        return super().get_common_view_kwargs(search_fields=self.search_fields, ordering=self.ordering, **kwargs)


class QuizChooserViewSet(SubstringSearchChooserViewSet):
    # Newest first: the quiz a trainer has just written for this course is at the top.
    search_fields = ("title", "description")


class QuestionChooserViewSet(SubstringSearchChooserViewSet):
    search_fields = ("stem", "name")
