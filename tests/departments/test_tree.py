import pytest

from accounts.admin_forms import DepartmentChoiceField
from departments.models import Department
from departments.selectors import DepartmentIndex, department_path_names, department_tree
from departments.services import department_add_child
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    root = DepartmentFactory(code="city", name="市直党政机关", name_en="City", kind=Department.Kind.CITY)
    finance = DepartmentFactory(parent=root, code="finance", name="市财政局", name_en="Finance Bureau")
    DepartmentFactory(parent=finance, code="finance-budget", name="预算科", name_en="Budget Section")
    police = DepartmentFactory(parent=root, code="public-security", name="市公安局", name_en="Public Security Bureau")
    DepartmentFactory(parent=police, code="ps-office", name="办公室", name_en="Office")
    DepartmentFactory(parent=finance, code="finance-office", name="办公室", name_en="Office")
    return root


def names(resolution):
    return (resolution.department.code if resolution.department else None, resolution.missing)


def test_a_full_path_from_the_city_resolves_to_the_section(city):
    index = DepartmentIndex.load()
    assert names(index.resolve(["市直党政机关", "市财政局", "预算科"])) == ("finance-budget", [])


def test_the_city_may_be_left_out_when_there_is_one(city):
    index = DepartmentIndex.load()
    assert names(index.resolve(["市财政局", "预算科"])) == ("finance-budget", [])


def test_segments_match_english_names_and_codes_ignoring_case(city):
    index = DepartmentIndex.load()
    assert names(index.resolve(["finance bureau", "FINANCE-BUDGET"])) == ("finance-budget", [])


def test_same_section_name_under_two_bureaus_is_told_apart_by_its_parent(city):
    index = DepartmentIndex.load()
    assert names(index.resolve(["市公安局", "办公室"])) == ("ps-office", [])
    assert names(index.resolve(["市财政局", "办公室"])) == ("finance-office", [])


def test_missing_units_are_reported_below_the_deepest_one_found(city):
    index = DepartmentIndex.load()
    assert names(index.resolve(["市财政局", "国库科", "一组"])) == ("finance", ["国库科", "一组"])


def test_two_units_with_one_name_under_the_same_parent_are_ambiguous(city):
    finance = Department.objects.get(code="finance")
    DepartmentFactory(parent=finance, code="budget-2", name="预算科")
    resolution = DepartmentIndex.load().resolve(["市财政局", "预算科"])
    assert resolution.ambiguous == "预算科"


def test_index_loads_the_whole_tree_in_one_query(city, django_assert_num_queries):
    with django_assert_num_queries(1):
        DepartmentIndex.load()


def test_added_units_are_departments_under_the_city_and_sections_below(city):
    bureau = department_add_child(parent=city, name="市档案局")
    section = department_add_child(parent=bureau, name="Records Section")
    assert bureau.kind == Department.Kind.DEPARTMENT and bureau.get_parent() == city
    assert section.kind == Department.Kind.SECTION and section.get_parent().pk == bureau.pk
    assert section.code == "records-section"
    assert bureau.code.startswith("city-")


def test_generated_codes_never_collide(city):
    first = department_add_child(parent=city, name="Archives")
    second = department_add_child(parent=Department.objects.get(code="finance"), name="Archives")
    assert first.code == "archives" and second.code == "archives-2"


def test_tree_lists_parents_before_children_and_the_chooser_indents(city):
    tree = list(department_tree())
    assert [d.code for d in tree][:3] == ["city", "finance", "finance-budget"]
    field = DepartmentChoiceField(queryset=department_tree())
    labels = [label for _value, label in field.choices][1:]
    assert labels[0] == "City"
    assert labels[1] == "— Finance Bureau"
    assert labels[2] == "— — Budget Section"


def test_path_names_run_from_the_city_down(city):
    assert department_path_names(department=Department.objects.get(code="finance-budget")) == [
        "市直党政机关",
        "市财政局",
        "预算科",
    ]
