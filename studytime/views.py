import json

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .ledger import LedgerUnavailable
from .services import BeatRefused, beat_accept

# Status per refusal: the page's script stops beating on 403 (its token is no good any more) and
# carries on after 409 (this beat only) and 503 (the ledger did not answer).
REFUSAL_STATUS = {"expired": 403, "invalid": 403, "replay": 409, "early": 409}


@require_POST
def beat_view(request):
    """A page's heartbeat: JSON {token, step, seq, fresh}. Writes nothing to the database."""
    if not request.user.is_authenticated:
        return JsonResponse({"accepted": False, "reason": "signed_out"}, status=403)
    try:
        body = json.loads(request.body)
        token, step_id, seq, fresh = body["token"], body["step"], body["seq"], body.get("fresh", False)
        if not (isinstance(token, str) and type(step_id) is int and type(seq) is int and isinstance(fresh, bool)):
            raise ValueError
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"accepted": False, "reason": "bad_request"}, status=400)
    try:
        result = beat_accept(user_id=request.user.pk, token=token, step_id=step_id, seq=seq, fresh=fresh)
    except BeatRefused as refusal:
        return JsonResponse({"accepted": False, "reason": refusal.reason}, status=REFUSAL_STATUS[refusal.reason])
    except LedgerUnavailable:
        return JsonResponse({"accepted": False, "reason": "unavailable"}, status=503)
    return JsonResponse({"accepted": True, "credited_ms": result.credited_ms})
