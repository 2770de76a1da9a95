"""What required learning announces to the apps above it."""

from django.dispatch import Signal

# A person's set of required courses changed (they joined, moved, changed position, left or came
# back): user_id, course_ids. Sent inside the transaction that wrote their rows.
required_courses_changed = Signal()

# The organisation tree changed under people without their own rows changing (a unit moved with
# its subtree, a unit retired): department_ids. Sent inside the transaction, after required
# learning has been brought in line, so that figures derived from it (overdue) follow.
organisation_changed = Signal()
