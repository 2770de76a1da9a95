from django.dispatch import Signal

# Sent inside the grading transaction with attempt= and grade= (an AttemptGrade).
# The courses app listens to complete a quiz step when the attempt passes.
attempt_graded = Signal()
