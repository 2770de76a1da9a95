"""Template filters for language: `{% load language %}` (registered in TEMPLATES' libraries, so that
every app's templates can use them without an app importing another)."""

from django import template

from config.language import plural_number as plural_number_of

register = template.Library()


@register.filter
def plural_number(amount) -> int:
    """`{% blocktranslate count counter=hours|plural_number %}`: a count for a fractional amount."""
    return plural_number_of(amount)
