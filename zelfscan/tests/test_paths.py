"""zelfscan.paths.reverse_path gives what reverse() gives, from a template built once."""

import uuid
from unittest import mock

import pytest
from django.urls import NoReverseMatch, clear_script_prefix, reverse, set_script_prefix

from zelfscan import paths

RESPONDENT_PAGES = [
    ("assessments:start", {}),
    ("assessments:registered", {}),
    ("assessments:resume", {"public_id": None}),
    ("assessments:start_from_previous", {"public_id": None}),
    ("assessments:theme", {"public_id": None, "number": 1}),
    ("assessments:theme", {"public_id": None, "number": 6}),
    ("assessments:theme", {"public_id": None, "number": 1234567}),
    ("assessments:stopped", {"public_id": None}),
    ("assessments:review", {"public_id": None}),
    ("reports:report", {"public_id": None}),
]


@pytest.fixture(autouse=True)
def fresh_templates():
    paths._templates.clear()
    yield
    paths._templates.clear()
    clear_script_prefix()
    set_script_prefix("/")


def with_uuid(kwargs: dict) -> dict:
    return {key: uuid.uuid4() if value is None else value for key, value in kwargs.items()}


@pytest.mark.parametrize("prefix", ["/", "/zelfscan/"])
@pytest.mark.parametrize(("name", "kwargs"), RESPONDENT_PAGES)
def test_the_same_path_as_reverse_for_every_respondent_page(name, kwargs, prefix):
    set_script_prefix(prefix)
    for _ in range(3):  # the first call builds the template, the others fill it in
        arguments = with_uuid(kwargs)
        assert paths.reverse_path(name, **arguments) == reverse(name, kwargs=arguments)


def test_reverse_runs_once_per_name_and_argument_types():
    calls = []
    real = paths.reverse

    def counting(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    with mock.patch.object(paths, "reverse", counting):
        first = [paths.reverse_path("assessments:theme", public_id=uuid.uuid4(), number=n) for n in range(1, 7)]
        paths.reverse_path("assessments:review", public_id=uuid.uuid4())
    assert len(calls) == 2
    assert [path.rsplit("/", 2)[1] for path in first] == ["1", "2", "3", "4", "5", "6"]


def test_a_script_prefix_gets_its_own_template():
    public_id = uuid.uuid4()
    assert paths.reverse_path("assessments:review", public_id=public_id) == f"/scan/{public_id}/review/"
    set_script_prefix("/gemeente/")
    assert paths.reverse_path("assessments:review", public_id=public_id) == f"/gemeente/scan/{public_id}/review/"


@pytest.mark.parametrize(
    "value",
    ["not-a-uuid", -1, 1.5, True],
    ids=["text", "negative", "float", "bool"],
)
def test_other_arguments_go_through_reverse_and_its_checks(value):
    arguments = {"public_id": uuid.uuid4(), "number": value}
    try:
        expected = reverse("assessments:theme", kwargs=arguments)
    except NoReverseMatch:
        with pytest.raises(NoReverseMatch):
            paths.reverse_path("assessments:theme", **arguments)
    else:
        assert paths.reverse_path("assessments:theme", **arguments) == expected
    assert not paths._templates


def test_a_uuid_as_text_is_checked_by_reverse():
    public_id = uuid.uuid4()
    assert paths.reverse_path("assessments:review", public_id=str(public_id)) == f"/scan/{public_id}/review/"
    with pytest.raises(NoReverseMatch):
        paths.reverse_path("assessments:review", public_id="../admin")


def test_redirect_answers_302_with_the_path():
    public_id = uuid.uuid4()
    response = paths.redirect("assessments:theme", public_id=public_id, number=2)
    assert response.status_code == 302
    assert response["Location"] == f"/scan/{public_id}/theme/2/"


def test_a_pattern_that_refuses_the_stand_ins_goes_through_reverse(settings):
    """A pattern whose converter does not accept the stand-in (here: at most 3 digits) still gets
    reverse()'s answer, and its checks."""
    from django.urls import clear_url_caches, path, register_converter

    class AtMostThreeDigits:
        regex = "[0-9]{1,3}"

        def to_python(self, value):
            return int(value)

        def to_url(self, value):
            return str(value)

    def view(request):  # pragma: no cover - never called
        return None

    register_converter(AtMostThreeDigits, "three_digits")
    settings.ROOT_URLCONF = type("urls", (), {"urlpatterns": [path("small/<three_digits:n>/", view, name="small")]})
    clear_url_caches()
    try:
        assert paths.reverse_path("small", n=42) == "/small/42/"
        with pytest.raises(NoReverseMatch):
            paths.reverse_path("small", n=12345)
    finally:
        clear_url_caches()
