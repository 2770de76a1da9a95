"""The Wagtail groups that follow the role flags on `User`.

TRAINERS_GROUP is the group `courses.authoring` gives page and media permissions to; it is
named here because `accounts` sits below `courses` and may not import it (README: direction of
imports). A test checks both names agree."""

from django.utils.translation import gettext_lazy as _

TRAINERS_GROUP = "Trainers"
CITY_ADMINS_GROUP = "City admins"

# Given to the "City admins" group whenever the group is synchronised: enter the Wagtail admin
# and manage people (their roles and departments). Everything else city admins do is checked
# on the server against the `is_city_admin` flag.
CITY_ADMIN_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("accounts", "add_user"),
    ("accounts", "change_user"),
    ("accounts", "view_user"),
]

# Given to the "Trainers" group if this app creates it before courses.authoring does.
TRAINER_PERMISSIONS = [("wagtailadmin", "access_admin")]

ROLE_FLAGS = ("is_trainer", "is_department_head", "is_city_admin")
ROLE_LABELS = {
    "is_trainer": _("trainer"),
    "is_department_head": _("department head"),
    "is_city_admin": _("city administrator"),
}


def is_city_admin(user) -> bool:
    return bool(user.is_authenticated and user.is_active and (user.is_superuser or user.is_city_admin))
