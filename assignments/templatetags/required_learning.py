"""The learner's required courses for pages of lower apps (My learning in courses): a template
can load a tag from any app, so courses never imports assignments."""

from django import template

from assignments.selectors import learner_required

register = template.Library()


@register.simple_tag
def required_courses(user) -> list[dict]:
    """Open required courses first (soonest due first), then completed ones; one query."""
    if not getattr(user, "is_authenticated", False):
        return []
    return learner_required(user=user)
