import pytest

from labkit.seeds import book_seeds, demo_seed


def test_default_seeds(monkeypatch):
    monkeypatch.delenv("LABKIT_SEEDS", raising=False)
    assert book_seeds() == [0, 1, 2, 3, 4]
    assert demo_seed() == 0


def test_seeds_from_environment(monkeypatch):
    monkeypatch.setenv("LABKIT_SEEDS", " 7, 8,9 ,10,11 ")
    assert book_seeds() == [7, 8, 9, 10, 11]
    assert demo_seed() == 7


@pytest.mark.parametrize("bad", ["1,,2", "a,b", "1.5", "-1,2", "3,3"])
def test_bad_seeds_are_refused(monkeypatch, bad):
    monkeypatch.setenv("LABKIT_SEEDS", bad)
    with pytest.raises(ValueError, match="LABKIT_SEEDS"):
        book_seeds()
