"""The question's edit form in the Wagtail admin (Question.base_form_class).

Its own module, importing no model, because models.py names it: the rules it checks live in the
pure quizzes.formats.common, so the admin and the import dry run refuse the same questions."""

from wagtail.admin.forms import WagtailAdminModelForm

from .format_messages import translated
from .formats.common import matching_problem
from .specs import MatchPairSpec, QuestionType


class QuestionAdminForm(WagtailAdminModelForm):
    def clean(self):
        cleaned = super().clean()
        pairs_formset = self.formsets.get("match_pairs") if hasattr(self, "formsets") else None
        if cleaned.get("qtype") == QuestionType.MATCHING and pairs_formset is not None:
            pairs = [
                MatchPairSpec(
                    key="", text=form.cleaned_data.get("text") or "", answer=form.cleaned_data.get("answer") or ""
                )
                for form in pairs_formset.forms
                if form.is_valid() and not (pairs_formset.can_delete and pairs_formset._should_delete_form(form))
            ]
            problem = matching_problem(pairs)
            if problem is not None:
                self.add_error("qtype", translated(problem))
        return cleaned
