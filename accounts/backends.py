"""The authentication backends: Django's and django-axes's, reading the signed-in person of every
request in plain SQL (accounts.selectors.user_by_id) instead of the ORM's get(), which cost more
CPU than the query (issue 17). Authentication itself is theirs, unchanged."""

from axes.backends import AxesBackend as BaseAxesBackend
from django.contrib.auth.backends import ModelBackend as BaseModelBackend

from .selectors import user_by_id


class ReadsUserInPlainSQL:
    def get_user(self, user_id):
        user = user_by_id(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


class AxesBackend(ReadsUserInPlainSQL, BaseAxesBackend):
    pass


class ModelBackend(ReadsUserInPlainSQL, BaseModelBackend):
    pass


# A session names the backend that signed its person in; one signed in before these classes
# existed is moved to the one of the same kind (accounts.middleware.AuthenticationMiddleware),
# so that no one is signed out by the change.
UPGRADED_BACKENDS = {
    "axes.backends.AxesBackend": "accounts.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend": "accounts.backends.ModelBackend",
}
