import pytest
from leitstern.tests import test_trust_structure as t
pytestmark = pytest.mark.django_db
def test_mut(monkeypatch):
    monkeypatch.setattr(t, "PEOPLE_PAGES", set())
    with pytest.raises(AssertionError) as e:
        t.test_page_contexts_hold_no_people_and_no_per_person_aggregates()
    print(str(e.value)[:1500])
    assert 0
