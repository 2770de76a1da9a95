"""What accounts announces to the apps above it."""

from django.dispatch import Signal

# Sent inside the anonymising transaction with `user_ids` (the people just anonymised) and `now`:
# apps that keep a copy of a person's name (certificates print it) remove it in the same
# transaction, so no person is left half anonymised.
people_anonymised = Signal()
