import json

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from .ledger import LedgerUnavailable
from .services import BeatRefused, beat_accept

# Status per refusal: the page's script stops beating on 403 (its token is no good any more) and
# carries on after 409 (this beat only) and 503 (the ledger did not answer).
REFUSAL_STATUS = {"expired": 403, "invalid": 403, "replay": 409, "early": 409}


MAX_RANGES = 50  # a beat's played ranges: far more than half a minute of playing can make


def _played_ranges(raw) -> list[tuple[int, float, float]]:
    """[[video index, start, end], ...] as numbers, or ValueError (a 400)."""
    if not isinstance(raw, list) or len(raw) > MAX_RANGES:
        raise ValueError
    ranges = []
    for item in raw:
        if not (isinstance(item, list) and len(item) == 3 and type(item[0]) is int):
            raise ValueError
        start, end = item[1], item[2]
        if not all(type(value) in (int, float) and 0 <= value < 10**6 for value in (start, end)):
            raise ValueError
        ranges.append((item[0], float(start), float(end)))
    return ranges


@require_POST
def beat_view(request):
    """A page's heartbeat: JSON {token, step, seq, fresh, video}. Writes nothing to the database;
    video is what the page's videos played since its last beat: [[index, start, end], ...]."""
    if not request.user.is_authenticated:
        return JsonResponse({"accepted": False, "reason": "signed_out"}, status=403)
    try:
        body = json.loads(request.body)
        token, step_id, seq, fresh = body["token"], body["step"], body["seq"], body.get("fresh", False)
        if not (isinstance(token, str) and type(step_id) is int and type(seq) is int and isinstance(fresh, bool)):
            raise ValueError
        video = _played_ranges(body.get("video", []))
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"accepted": False, "reason": "bad_request"}, status=400)
    try:
        result = beat_accept(user_id=request.user.pk, token=token, step_id=step_id, seq=seq, fresh=fresh, video=video)
    except BeatRefused as refusal:
        return JsonResponse({"accepted": False, "reason": refusal.reason}, status=REFUSAL_STATUS[refusal.reason])
    except LedgerUnavailable:
        return JsonResponse({"accepted": False, "reason": "unavailable"}, status=503)
    return JsonResponse({"accepted": True, "credited_ms": result.credited_ms})
