"""The exercise checks' feedback in Chinese (LABKIT_LANG=zh_CN), issue 17.

Coverage: every message written in labkit/exercises/*.py (each f-string with its fields as `{}`)
has an entry in labkit/exercises/_zh_CN.py, so a new or reworded English message fails here
until it is translated. Behaviour: the same check prints Chinese with LABKIT_LANG=zh_CN and the
unchanged English without it, with the measured numbers in both.
"""
from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

import labkit.exercises as ex
from labkit.exercises._zh_CN import MESSAGES
from labkit.messages import language, translate

EXERCISES = Path(ex.__file__).parent


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring constants in `tree`."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def written_messages(path: Path) -> set[str]:
    """Every string of `path` with a space in it (no docstrings), f-string fields as `{}`."""
    tree = ast.parse(path.read_text())
    skip = _docstrings(tree)
    for node in ast.walk(tree):  # the pieces of an f-string are not messages of their own
        if isinstance(node, ast.JoinedStr):
            skip.update(id(v) for v in node.values)
    found = set()
    for node in ast.walk(tree):
        if id(node) in skip:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(v.value.replace("{", "{{").replace("}", "}}")
                           if isinstance(v, ast.Constant) else "{}" for v in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = re.sub(r"\{\w+\}", "{}", node.value)  # str.format fields (TAMPERED)
        else:
            continue
        if " " in text:
            found.add(text)
    return found


@pytest.mark.parametrize("path", sorted(p for p in EXERCISES.glob("*.py") if p.name != "_zh_CN.py"),
                         ids=lambda p: p.name)
def test_every_message_has_a_chinese_entry(path: Path) -> None:
    missing = sorted(written_messages(path) - set(MESSAGES))
    assert not missing, f"add these to labkit/exercises/_zh_CN.py: {missing}"


def test_translations_use_each_field_once() -> None:
    for english, chinese in MESSAGES.items():
        if chinese is None:
            continue
        fields = english.replace("{{", "").replace("}}", "").count("{}")
        used = sorted(int(i) for i in re.findall(r"\{(\d+)\}", chinese))
        assert used == list(range(fields)), (english, chinese)


def test_english_is_the_default_and_unchanged(monkeypatch, capsys) -> None:
    monkeypatch.delenv("LABKIT_LANG", raising=False)
    assert language() == "en"
    assert ex.check_first_digit_only("B") is True
    out = capsys.readouterr().out
    assert out.startswith("✔ remembering only the first digit: measured at length 10")


def test_chinese_feedback_with_the_same_numbers(monkeypatch, capsys) -> None:
    monkeypatch.delenv("LABKIT_LANG", raising=False)
    ex.check_first_digit_only("A", reveal=True)
    english = capsys.readouterr().out
    monkeypatch.setenv("LABKIT_LANG", "zh_CN")
    assert ex.check_first_digit_only("A", reveal=True) is False
    chinese = capsys.readouterr().out
    assert chinese.startswith("✘ 只记住第一个数字：还没有通过。")
    assert "你预测的是 A，答案是 B：在长度 10 上测得" in chinese  # nested: verdict, then why
    assert re.findall(r"\d+%", english) == re.findall(r"\d+%", chinese)


def test_a_failing_implementation_gets_a_chinese_hint(monkeypatch, capsys) -> None:
    import torch

    monkeypatch.setenv("LABKIT_LANG", "zh_CN")
    assert ex.check_srn_step(lambda x, h, W, U, b: x @ W + h @ U + b) is False
    assert "你的值是净输入 x_t W + h_prev U + b：还要再经过 tanh。" in capsys.readouterr().out
    assert ex.check_srn_step(lambda x, h, W, U, b: torch.tanh(x @ W + h @ U + b)) is True
    assert capsys.readouterr().out.startswith("✔ 简单循环网络的一步：你的一步与 SRN.step 相同")


def test_unknown_text_stays_as_it_is_and_bad_language_is_named(monkeypatch) -> None:
    monkeypatch.setenv("LABKIT_LANG", "zh_CN")
    assert translate("no template fits this") == "no template fits this"
    monkeypatch.setenv("LABKIT_LANG", "klingon")
    with pytest.raises(ValueError, match="LABKIT_LANG='klingon' is not one of en, zh_CN"):
        language()
