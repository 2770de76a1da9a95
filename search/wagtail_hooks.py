from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import SearchTerm
from .terms import office_terms_changed


class SearchTermViewSet(SnippetViewSet):
    model = SearchTerm
    icon = "search"
    menu_label = _("Search terms")
    add_to_admin_menu = False
    list_display = ["term", "note"]
    search_fields = ["term", "note"]
    search_backend_name = None  # a short list, filtered in the database; SearchTerm is not indexed


register_snippet(SearchTermViewSet)


def _terms_changed(request, instance):
    if isinstance(instance, SearchTerm) or (
        isinstance(instance, list | tuple) and any(isinstance(item, SearchTerm) for item in instance)
    ):
        office_terms_changed()


hooks.register("after_create_snippet", _terms_changed)
hooks.register("after_edit_snippet", _terms_changed)
hooks.register("after_delete_snippet", _terms_changed)
