"""Which saves of a person may have changed a tracked field: one rule for the three receivers."""

import pytest

from accounts.changes import tracked_fields_saved


@pytest.mark.parametrize(
    ("update_fields", "fields", "expected"),
    [
        (None, (), True),  # a full save writes every field
        (None, ("is_active",), True),
        (["last_login"], (), False),
        (["department"], (), True),
        (["department_id"], (), True),
        (["position"], (), True),
        (["position"], ("department_id", "is_active"), False),  # reports: members move or leave
        (["department"], ("department_id", "is_active"), True),
        (frozenset({"is_active", "last_login"}), ("department_id", "is_active"), True),
        ([], (), False),
    ],
)
def test_tracked_fields_saved(update_fields, fields, expected):
    assert tracked_fields_saved(update_fields, *fields) is expected
