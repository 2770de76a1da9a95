"""Checks of certificate validity against course completions (read only): a completed course has
a valid certificate, unless a person revoked it after the completion (that decision stands); a
valid certificate needs a standing completion. Keyed by (user id, course id), the unit of
`certificate_record_repair`."""

from collections import defaultdict

from courses.models import CourseProgress

from .models import Certificate


def certificate_record_problems() -> dict[tuple[int, int], list[str]]:
    completions = dict(
        ((user_id, course_id), completed_at)
        for user_id, course_id, completed_at in CourseProgress.objects.filter(completed_at__isnull=False).values_list(
            "user_id", "course_id", "completed_at"
        )
    )
    valid = set(
        Certificate.objects.filter(revoked_at__isnull=True, course__isnull=False).values_list("user_id", "course_id")
    )
    revoked_by_a_person = defaultdict(list)
    for user_id, course_id, revoked_at in Certificate.objects.filter(
        revoked_at__isnull=False, revoked_by__isnull=False, course__isnull=False
    ).values_list("user_id", "course_id", "revoked_at"):
        revoked_by_a_person[(user_id, course_id)].append(revoked_at)
    problems: dict[tuple[int, int], list[str]] = defaultdict(list)
    for key, completed_at in sorted(completions.items()):
        if key in valid or any(revoked_at >= completed_at for revoked_at in revoked_by_a_person[key]):
            continue
        problems[key].append(f"certificate of user {key[0]} for course {key[1]}: completed, but no valid certificate")
    for key in sorted(valid - completions.keys()):
        problems[key].append(f"certificate of user {key[0]} for course {key[1]}: valid, but the course is not completed")
    return dict(problems)
