"""What the credit-hour ledger announces to the apps above it (notifications), so that hours never
imports them. Sent inside the transaction that makes the change: a listener's writes commit or
roll back with it, and anything it sends outside (e-mail) waits for the commit."""

from django.dispatch import Signal

# A head (or city administrator) decided a pending offline-training declaration. Keyword
# arguments: declaration (the OfflineTraining, approved or rejected, with decided_by and reason).
offline_training_decided = Signal()
