"""One current unit of a name under a parent: adding, renaming or moving a unit so that two
current siblings answer to the same name (Chinese, English or code, as the people import's paths
match them) is refused with a message. A form sent twice, or two administrators at once, would
otherwise make every import path through that name ambiguous."""

import threading

import pytest

from departments.models import Department
from departments.services import (
    DepartmentChangeRefused,
    department_add_child,
    department_move,
    department_rename,
    department_retire,
)
from tests.quizzes.test_concurrency import run_at_once


@pytest.fixture
def city(catalogue, django_capture_on_commit_callbacks):
    from tests.factories.reports import build_city

    with django_capture_on_commit_callbacks(execute=True):
        return build_city(catalogue)


def children(parent) -> list[str]:
    return sorted(
        Department.objects.filter(path__startswith=parent.path, depth=parent.depth + 1).values_list("name", flat=True)
    )


@pytest.mark.django_db
def test_a_second_unit_of_the_same_name_under_one_parent_is_refused(city):
    department_add_child(parent=city.finance, name="综合科", name_en="General Office", created_by=city.admin)
    for name, name_en in [("综合科", ""), ("其他科", "general  office"), ("finance-budget", "")]:
        with pytest.raises(DepartmentChangeRefused, match="already has a current unit called"):
            department_add_child(parent=city.finance, name=name, name_en=name_en, created_by=city.admin)
    assert children(city.finance) == ["国库科", "综合科", "预算科"]
    # Under another parent the name is free.
    department_add_child(parent=city.police, name="综合科", created_by=city.admin)


@pytest.mark.django_db
def test_a_retired_unit_leaves_its_name_free(city):
    old = department_add_child(parent=city.finance, name="综合科", created_by=city.admin)
    department_retire(department=old, retired_by=city.admin)
    new = department_add_child(parent=city.finance, name="综合科", created_by=city.admin)
    assert new.pk != old.pk


@pytest.mark.django_db
def test_renaming_or_moving_onto_a_siblings_name_is_refused(city):
    with pytest.raises(DepartmentChangeRefused, match="already has a current unit called"):
        department_rename(department=city.treasury, name="预算科", name_en="", renamed_by=city.admin)
    city.treasury.refresh_from_db()
    assert city.treasury.name == "国库科"
    department_rename(
        department=city.treasury, name="国库科", name_en="Treasury", renamed_by=city.admin
    )  # its own name
    police_budget = department_add_child(parent=city.police, name="预算科", created_by=city.admin)
    with pytest.raises(DepartmentChangeRefused, match="already has a current unit called"):
        department_move(department=police_budget, parent=city.finance, moved_by=city.admin)
    police_budget.refresh_from_db()
    assert police_budget.path.startswith(city.police.path)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_eight_adds_of_one_name_at_once_make_one_unit(require_postgres, city):
    outcomes = run_at_once(
        lambda: department_add_child(parent=city.finance, name="综合科", created_by=city.admin), times=8
    )
    made = [outcome for outcome in outcomes if isinstance(outcome, Department)]
    refused = [outcome for outcome in outcomes if isinstance(outcome, DepartmentChangeRefused)]
    assert len(made) == 1 and len(refused) == 7, outcomes
    assert children(city.finance).count("综合科") == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_siblings_renamed_to_one_name_at_once_one_is_refused(require_postgres, city):
    units = iter([city.budget, city.treasury])
    lock = threading.Lock()

    def rename_the_next():
        with lock:
            unit = next(units)
        return department_rename(department=unit, name="综合科", name_en="", renamed_by=city.admin)

    outcomes = run_at_once(rename_the_next, times=2)
    assert sorted(type(outcome).__name__ for outcome in outcomes) == ["DepartmentChangeRefused", "bool"], outcomes
    assert children(city.finance).count("综合科") == 1
