"""Forms of the Wagtail admin: the user create/edit forms with department and role flags, and
the people-import upload form.

Department and role flags are plain form fields, not model fields of the form: the view hands
them to services.user_roles_update, which keeps the groups in step and writes the audit log."""

from django import forms
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm

from departments.selectors import department_tree
from privatefiles.uploads import validate_upload

from .people_import import MAX_FILE_BYTES
from .roles import CITY_ADMINS_GROUP, ROLE_FLAGS, TRAINERS_GROUP

PROFILE_FIELDS = ("display_name", "employee_id", "position", "rank")
MANAGED_GROUPS = (TRAINERS_GROUP, CITY_ADMINS_GROUP)


class DepartmentChoiceField(forms.ModelChoiceField):
    """The tree as an indented list, parents before children."""

    def label_from_instance(self, obj) -> str:
        return "— " * (obj.depth - 1) + obj.display_name


class PersonFormMixin:
    department = DepartmentChoiceField(
        queryset=department_tree(), required=False, label=_("Department"), empty_label=_("(none)")
    )
    is_trainer = forms.BooleanField(
        required=False, label=_("Trainer"), help_text=_("Writes courses and question banks (the Trainers group).")
    )
    is_department_head = forms.BooleanField(
        required=False,
        label=_("Department head"),
        help_text=_("Sees the reports of their own department and every unit under it."),
    )
    is_city_admin = forms.BooleanField(
        required=False,
        label=_("City administrator"),
        help_text=_("Runs the platform city-wide: people, imports and every report (the City admins group)."),
    )

    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Names are written in one field here; Wagtail's first/last name and e-mail become optional.
        for name in ("first_name", "last_name", "email"):
            self.fields[name].required = False
        self.fields["display_name"].required = True
        if self.instance.pk:
            self.initial.setdefault("department", self.instance.department_id)
            if self.instance.department_id:
                self.fields["department"].queryset = department_tree(keeping=self.instance.department_id)
            for flag in ROLE_FLAGS:
                self.initial.setdefault(flag, getattr(self.instance, flag))
        # Only an administrator makes administrators.
        if for_user is not None and not for_user.is_superuser:
            self.fields.pop("is_superuser", None)
        # The groups that follow the flags are not offered by hand; they are kept on save.
        groups = self.fields.get("groups")
        if groups is not None:
            groups.queryset = Group.objects.exclude(name__in=MANAGED_GROUPS).order_by("name")
            # services.user_roles_update sets them after the form has saved the other groups.
            groups.help_text = _("Trainers and City admins follow the role flags.")


class PersonCreationForm(PersonFormMixin, UserCreationForm):
    department = PersonFormMixin.department
    is_trainer = PersonFormMixin.is_trainer
    is_department_head = PersonFormMixin.is_department_head
    is_city_admin = PersonFormMixin.is_city_admin

    class Meta(UserCreationForm.Meta):
        fields = UserCreationForm.Meta.fields | set(PROFILE_FIELDS)


class PersonEditForm(PersonFormMixin, UserEditForm):
    department = PersonFormMixin.department
    is_trainer = PersonFormMixin.is_trainer
    is_department_head = PersonFormMixin.is_department_head
    is_city_admin = PersonFormMixin.is_city_admin

    class Meta(UserEditForm.Meta):
        fields = UserEditForm.Meta.fields | set(PROFILE_FIELDS)


class PeopleImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("CSV (UTF-8, UTF-8 with BOM or GBK) or XLSX, at most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )
    create_missing_departments = forms.BooleanField(
        label=_("Create missing departments"),
        required=False,
        help_text=_(
            "Units named in a department path that do not exist yet are created. Otherwise such rows are errors."
        ),
    )

    full_import = forms.BooleanField(
        label=_("Full import: deactivate people missing from the file"),
        required=False,
        help_text=_(
            "The file then lists everyone of the departments it covers: a department is covered when a row names it "
            "or one of its units (a row naming the city itself covers the whole city). Active people of a covered "
            "department with an employee ID that is not in the file are deactivated as leavers. The dry run lists "
            "them first. You and superusers are never deactivated; people without an employee ID are left alone."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        validate_upload(upload, extensions=(".csv", ".xlsx"), max_bytes=MAX_FILE_BYTES)
        return upload
