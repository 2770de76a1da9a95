"""What a save of a person changed about their unit, position or activity: one rule for the
receivers that act on such a change (accounts: leavers; assignments: required learning; reports:
member counts), whichever path saved the person (the Wagtail user editor, its bulk actions, the
people import, a service, the shell).

The values before the save are read from the database in the saving transaction
(accounts.receivers.read_stored_before_save), not remembered from when the instance was loaded:
a copy loaded before another change (a second tab, a request that read the person before a unit
was retired) would otherwise compare against values that are no longer stored, and a unit's
member count or a person's required learning would miss the change."""

from dataclasses import dataclass

# The attribute names; update_fields may name "department" or "department_id".
TRACKED = ("department_id", "position", "is_active")
STORED_BEFORE_SAVE = "_accounts_stored_before_save"


@dataclass(frozen=True)
class PersonChange:
    created: bool
    before: dict | None  # the stored values before the save (None: a new person)
    after: dict

    def changed(self, *fields: str) -> bool:
        """Whether any of the fields (TRACKED names) changed; a new person changed them all."""
        return self.before is None or any(self.before[name] != self.after[name] for name in fields)


def tracked_fields_saved(update_fields, *fields: str) -> bool:
    """Whether a save with these update_fields may have written the given TRACKED fields (all of
    them when none is given); a foreign key may be named with or without its "_id"."""
    if update_fields is None:
        return True
    saved = set(update_fields)
    return any(name in saved or name.removesuffix("_id") in saved for name in fields or TRACKED)


def person_change(instance, *, created: bool) -> PersonChange:
    """In a post_save receiver of User: the change the save made to the TRACKED fields."""
    before = None if created else getattr(instance, STORED_BEFORE_SAVE, None)
    return PersonChange(
        created=created or before is None, before=before, after={n: getattr(instance, n) for n in TRACKED}
    )
