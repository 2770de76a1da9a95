"""Admin hooks for the whole site: a snippet that other records still need is never deleted with
a 500 (config.protected_delete)."""

from wagtail import hooks

from config.protected_delete import refuse_protected_snippet_delete

hooks.register("before_delete_snippet", refuse_protected_snippet_delete)
