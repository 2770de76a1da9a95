"""What required learning announces to the apps above it."""

from django.dispatch import Signal

# A person's set of required courses changed (they joined, moved, changed position, left or came
# back): user_id, course_ids. Sent inside the transaction that wrote their rows.
required_courses_changed = Signal()
