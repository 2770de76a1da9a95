"""What required learning announces to the apps above it."""

from django.dispatch import Signal

# A person's set of required courses changed (they joined, moved, changed position, left or came
# back): user_id, course_ids. Sent inside the transaction that wrote their rows.
required_courses_changed = Signal()

# Who owes one assignment changed as a whole (it was given or withdrawn, its positions changed, or
# records_verify's repair):
# course_id, user_ids (those who gained or lost an open row). Sent once, inside the transaction
# that wrote the rows, instead of required_courses_changed per person: a city-wide assignment's
# change reaches thousands, and its consumers settle a course at once as cheaply as one person.
assignment_people_changed = Signal()

# The organisation tree changed under people without their own rows changing (a unit moved with
# its subtree, a unit retired): department_ids. Sent inside the transaction, after required
# learning has been brought in line, so that figures derived from it (overdue) follow.
organisation_changed = Signal()
