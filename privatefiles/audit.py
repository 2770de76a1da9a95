"""Downloads of personal data in the audit trail: one Wagtail log entry (`privatefiles.download`)
per file sent, naming who fetched it, the object it belongs to (a certificate, a report export,
an offline-training declaration, the unit of a report exported at once) and the file name.
`serving.private_file_response` writes it for every stored private file; views that build a
file on the fly (the small report exports) call `download_log` themselves. The label is
registered in privatefiles.wagtail_hooks."""

from wagtail.log_actions import log

DOWNLOAD_ACTION = "privatefiles.download"


def download_log(*, user, instance, filename: str, data: dict | None = None):
    """Records that `user` downloaded `filename`, which belongs to `instance` (a saved model
    instance). Written on the request that sends the file."""
    return log(instance=instance, action=DOWNLOAD_ACTION, user=user, data={"filename": filename, **(data or {})})
