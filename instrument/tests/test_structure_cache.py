"""instrument.models.version_as_of: one whole version per process for each id, content and
publication date; a changed hash or publication date reads the version again."""

from datetime import timedelta

from instrument.models import InstrumentVersion, Structure, version_as_of


def _stub(version, **changes):
    stub = InstrumentVersion(pk=version.pk, content_sha256=version.content_sha256, published_at=version.published_at)
    for name, value in changes.items():
        setattr(stub, name, value)
    return stub


def test_the_same_version_comes_from_the_cache_without_a_query(version, django_assert_num_queries):
    Structure.clear()
    first = version_as_of(_stub(version))
    assert first.version == version.version and first.title == version.title
    with django_assert_num_queries(0):
        assert version_as_of(_stub(version)) is first


def test_a_changed_hash_or_publication_date_reads_the_version_again(version, django_assert_num_queries):
    Structure.clear()
    first = version_as_of(_stub(version))
    with django_assert_num_queries(1):
        assert version_as_of(_stub(version, content_sha256="0" * 64)) is not first
    with django_assert_num_queries(1):
        assert version_as_of(_stub(version, published_at=version.published_at + timedelta(days=1))) is not first
