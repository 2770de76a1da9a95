"""Certificate PDFs are private files (privatefiles.storage). This name stays because migration
0001 refers to it; new code uses privatefiles.storage.private_storage."""

from privatefiles.storage import PrivateFiles, private_storage


def certificate_storage() -> PrivateFiles:
    return private_storage()
