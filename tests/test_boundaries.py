"""The README's boundary between apps, checked: imports go one way only, another app's models are
read only where the README names the module, and a template loads no template tags of an app
above its own (a lower app's page learns a higher app's figures through courses.facets)."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ORDER = [
    "outbox",
    "search",
    "departments",
    "accounts",
    "quizzes",
    "studytime",
    "courses",
    "assignments",
    "reports",
    "hours",
    "certificates",
    "notifications",
    "privacy",
    "records",
    "home",
    "demo",
    "operations",
]
# Modules that read another app's models directly, each listed in the README's "Where an app reads
# another app's models" with its reason. A new one must be added there and here, or use selectors.
MODEL_READERS = {
    "accounts/scope.py": {"departments.models"},
    "accounts/services.py": {"departments.models"},
    "assignments/admin_views.py": {"departments.models"},
    "assignments/forms.py": {"courses.models"},
    "assignments/organisation.py": {"departments.models"},
    "assignments/selectors.py": {"departments.models"},
    "assignments/services.py": {"courses.models", "departments.models"},
    "assignments/verify.py": {"courses.models"},
    "certificates/receivers.py": {"courses.models"},
    "certificates/services.py": {"courses.models"},
    "certificates/verify.py": {"courses.models"},
    "courses/selectors.py": {"quizzes.models"},
    "demo/loader.py": {
        "assignments.models",
        "certificates.models",
        "courses.models",
        "departments.models",
        "home.models",
        "quizzes.models",
        "studytime.models",
    },
    "demo/province.py": {
        "assignments.models",
        "certificates.models",
        "courses.models",
        "departments.models",
        "home.models",
        "hours.models",
    },
    "demo/quiz_loader.py": {"courses.models", "quizzes.models"},
    "home/models.py": {"courses.models"},
    "hours/integrity.py": {"courses.models"},
    "hours/receivers.py": {"courses.models"},
    "hours/services.py": {"assignments.models", "courses.models"},
    "hours/verify.py": {"assignments.models", "courses.models", "quizzes.models"},
    "hours/views.py": {"reports.models"},
    "reports/exports.py": {"courses.models", "departments.models"},
    "reports/receivers.py": {"assignments.models", "courses.models"},
    "reports/selectors.py": {"courses.models", "departments.models", "quizzes.models"},
    "reports/services.py": {"courses.models", "departments.models"},
}
# Template folders that belong to no app (components/, base.html: every app's pages use them) may
# load only the framework's libraries and config's; `blocks/` renders courses' StreamField blocks.
TEMPLATE_FOLDER_APP = {"blocks": "courses"}


def _app_modules():
    for app in ORDER:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield app, path


def _imported_modules(path: Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
        elif isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)


def test_apps_import_only_from_apps_to_their_left():
    upward = []
    for app, path in _app_modules():
        for module in _imported_modules(path):
            top = module.split(".")[0]
            if top in ORDER and ORDER.index(top) > ORDER.index(app):
                upward.append(f"{path.relative_to(ROOT)} imports {module}")
    assert upward == []


def test_another_apps_models_are_read_only_where_the_readme_says():
    found: dict[str, set[str]] = {}
    for app, path in _app_modules():
        for module in _imported_modules(path):
            top = module.split(".")[0]
            if top in ORDER and top != app and (module.endswith(".models") or ".models." in module):
                found.setdefault(str(path.relative_to(ROOT)), set()).add(module)
    assert found == MODEL_READERS
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [module for module in MODEL_READERS if f"`{module}`" not in readme] == []


def _library_apps() -> dict[str, str]:
    return {
        path.stem: app
        for app in ORDER
        for path in (ROOT / app / "templatetags").glob("*.py")
        if path.stem != "__init__"
    }


def test_no_template_loads_the_tags_of_an_app_above_its_own():
    libraries = _library_apps()
    offenders = []
    for template in sorted((ROOT / "templates").rglob("*.html")):
        folder = template.relative_to(ROOT / "templates").parts[0]
        app = TEMPLATE_FOLDER_APP.get(folder, folder)
        for loaded in re.findall(r"{%\s*load\s+([^%]+?)\s*%}", template.read_text(encoding="utf-8")):
            for library in loaded.split():
                owner = libraries.get(library)
                if owner is None:
                    continue  # the framework's or config's
                if app not in ORDER or ORDER.index(owner) > ORDER.index(app):
                    offenders.append(f"{template.relative_to(ROOT)} loads {library} ({owner})")
    assert offenders == []


def test_the_facts_a_course_page_shows_come_from_the_apps_that_own_them():
    from wagtail import hooks

    from courses.facets import COURSE_FACTS_HOOK, MY_LEARNING_SECTIONS_HOOK

    providers = {fn.__module__ for fn in hooks.get_hooks(COURSE_FACTS_HOOK)}
    assert providers == {"hours.wagtail_hooks", "certificates.wagtail_hooks"}
    assert {fn.__module__ for fn in hooks.get_hooks(MY_LEARNING_SECTIONS_HOOK)} == {"assignments.wagtail_hooks"}
