"""Password rules whose messages Django's own catalogue cannot translate.

Django 5.2 changed the msgid of the minimum-length error to "%d" while its zh_Hans catalogue still
has the earlier "%(min_length)d" wording, so the error showed in English on a Chinese page (the help
text, whose msgid did not change, was Chinese). This validator words the error in our catalogue."""

from django.contrib.auth import password_validation
from django.utils.translation import ngettext


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "This password is too short. It must have at least %(min_length)d character.",
            "This password is too short. It must have at least %(min_length)d characters.",
            self.min_length,
        ) % {"min_length": self.min_length}
