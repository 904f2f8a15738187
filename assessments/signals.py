from django.dispatch import Signal

# Sent (after commit) when the set of counted responses of a municipality changed.
# Arguments: municipality_id.
counted_responses_changed = Signal()
