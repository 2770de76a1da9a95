from django import forms
from django.utils.translation import gettext_lazy as _


class VerifyForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code"),
        max_length=64,
        help_text=_("The 16 characters printed on the certificate; spaces and dashes do not matter."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "characters"}),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=250,
        help_text=_("Recorded in the audit log. It is not shown on the public verification page."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason for revoking the certificate."))
        return reason
