"""The audit-log label of downloads of personal data."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .audit import DOWNLOAD_ACTION


@hooks.register("register_log_actions")
def register_privatefiles_log_actions(actions):
    @actions.register_action(DOWNLOAD_ACTION)
    class DownloadFormatter(LogFormatter):
        label = _("Download personal data")

        def format_message(self, log_entry):
            return _("Downloaded %(filename)s") % {"filename": (log_entry.data or {}).get("filename") or "—"}
