from django import template

register = template.Library()


@register.filter
def shortcut_keys(text: str) -> list[str]:
    """ "Ctrl + Alt+Del" → ["Ctrl", "Alt", "Del"]; a lone "+" key survives."""
    keys = [key.strip() for key in str(text).split("+")]
    return [key for key in keys if key] or [str(text)]
