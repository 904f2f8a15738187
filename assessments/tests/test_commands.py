import pytest
from django.core.management import CommandError, call_command

from assessments.models import Response


def test_demo_data_refuses_to_load_outside_demo_mode(version, settings):
    settings.ZELFSCAN_DEMO_MODE = False
    with pytest.raises(CommandError, match="ZELFSCAN_DEMO_MODE"):
        call_command("load_demo_data")


def test_demo_data_is_flagged_and_loads_once(version, settings):
    settings.ZELFSCAN_DEMO_MODE = True
    call_command("load_demo_data")
    count = Response.objects.count()
    call_command("load_demo_data")
    assert Response.objects.count() == count == 110
    assert not Response.objects.filter(is_demo=False).exists()
    assert Response.objects.counted().count() == 110
