"""The Wagtail groups that follow the role flags on `User`.

TRAINERS_GROUP is the group `courses.authoring` gives page and media permissions to; it is
named here because `accounts` sits below `courses` and may not import it (README: direction of
imports). A test checks both names agree."""

from django.utils.translation import gettext_lazy as _

TRAINERS_GROUP = "Trainers"
CITY_ADMINS_GROUP = "City admins"

# Given to the "City admins" group by `accounts.services.city_admins_group_setup` (and when a
# role change first creates the group): enter the Wagtail admin, manage people (their roles and
# departments), look after question banks and quizzes (grade overrides and regrades need
# change_quiz). With the page permissions on the root page and the collection permissions below,
# a city admin does in the admin what the demo's superuser did, without being one. Everything
# else city admins do (reports, people import, certificates, the audit trail, unlocking
# accounts) is checked on the server against the `is_city_admin` flag. Named as strings:
# accounts sits below quizzes and may not import it.
CITY_ADMIN_PERMISSIONS = [
    ("wagtailadmin", "access_admin"),
    ("accounts", "add_user"),
    ("accounts", "change_user"),
    ("accounts", "view_user"),
    *(
        ("quizzes", f"{verb}_{model}")
        for model in ("question", "questioncategory", "quiz")
        for verb in ("add", "change", "view")
    ),
]
# On the tree's root page: the whole site, every course and step (review and publish).
CITY_ADMIN_PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page", "delete_page"]
# On the root collection: every image and document.
CITY_ADMIN_COLLECTION_PERMISSIONS = [
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
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


def may_manage(user, person) -> bool:
    """Only an administrator changes an administrator (a superuser), in the admin or by an import:
    a city administrator who could set a superuser's password could sign in as one. `user` None
    (an import whose author was deleted) is no administrator."""
    return bool(getattr(user, "is_superuser", False)) or not person.is_superuser
