"""The question's edit form in the Wagtail admin (Question.base_form_class): the checks a question's
rows cannot make alone (they do not know the type): Moodle's rules for a matching question's pairs
and a numerical question's answers.

Its own module, importing no model, because models.py names it: the matching rule lives in the
pure quizzes.formats.common, so the admin and the import dry run refuse the same questions."""

from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminModelForm

from .format_messages import translated
from .formats.common import matching_problem
from .grading import parse_number
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
        if cleaned.get("qtype") == QuestionType.NUMERICAL:
            self._check_numerical_answers()
        return cleaned

    def _check_numerical_answers(self) -> None:
        formset = self.formsets.get("answers") if hasattr(self, "formsets") else None
        if formset is None:
            return
        full_marks = False
        for form in formset.forms:
            if not form.is_valid() or formset._should_delete_form(form):
                continue  # its own errors are shown; a deleted row does not count
            text = (form.cleaned_data.get("text") or "").strip()
            if not text:
                continue
            if text != "*" and parse_number(text) is None:
                form.add_error("text", _("Give a number (such as 3.14 or -2.5e3), or * for any number."))
            elif form.cleaned_data.get("fraction") == 1:
                full_marks = True
        if not full_marks:
            # Moodle's "fractionsnomax": some answer must be fully right.
            self.add_error("qtype", _("A numerical question needs at least one answer worth full marks (grade 1)."))
