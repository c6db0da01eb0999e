"""The in-browser trainer's and cliff explorer's words in Chinese on the Chinese edition (book/_static/trainer/i18n.js).

Every text the trainer passes to `t(...)` (and every preset label) has a Chinese entry whose
{fields} are the English ones; under node, `t` answers in Chinese for <html lang="zh-CN"> and in
English otherwise.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

STATIC = Path(__file__).resolve().parent.parent / "book" / "_static"
TRAINER = STATIC / "trainer"
CLIFF = STATIC / "cliff"  # the cliff explorer uses the same t()
I18N = TRAINER / "i18n.js"
LITERALS = r'((?:"(?:[^"\\]|\\.)*"\s*\+?\s*)+)'  # one string literal, or several joined by +


def chinese() -> dict[str, str]:
    """The ZH table of i18n.js (strict JSON between its markers)."""
    text = I18N.read_text()
    body = text[text.index("// ZH-BEGIN"):text.index("// ZH-END")]
    return json.loads(body[body.index("{"):body.rindex("}") + 1])


def wrapped_texts() -> set[str]:
    """Every literal text passed to t(...) in the trainer's and the cliff explorer's modules, and every preset label."""
    found = set()
    for path in sorted((set(TRAINER.glob("*.js")) | set(CLIFF.glob("*.mjs"))) - {I18N}):
        source = path.read_text()
        for match in re.finditer(r"\bt\(\s*" + LITERALS, source):
            found.add("".join(json.loads(s) for s in re.findall(r'"(?:[^"\\]|\\.)*"', match.group(1))))
    state = (TRAINER / "state.js").read_text()
    found.update(json.loads(s) for s in re.findall(r'label: ("(?:[^"\\]|\\.)*")', state))
    return found


def test_every_wrapped_text_has_a_chinese_entry() -> None:
    texts = wrapped_texts()
    assert len(texts) > 40  # the regex found the trainer's texts
    missing = sorted(texts - set(chinese()))
    assert not missing, f"add to ZH in book/_static/trainer/i18n.js: {missing}"


def test_chinese_entries_keep_the_fields() -> None:
    for english, translated in chinese().items():
        assert sorted(re.findall(r"\{\w+\}", english)) == sorted(re.findall(r"\{\w+\}", translated))
        if re.search(r"[A-Za-z]{3}", re.sub(r"\{\w+\}", "", english)):  # words, not punctuation
            assert re.search(r"[\u4e00-\u9fff]", translated), english


def _t_under_node(lang: str, text: str, values: dict) -> str:
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    script = (f"globalThis.document = {{ documentElement: {{ lang: {json.dumps(lang)} }} }};"
              f"const {{ t }} = await import({json.dumps(I18N.as_uri())});"
              f"process.stdout.write(t({json.dumps(text)}, {json.dumps(values)}));")
    return subprocess.run([node, "--input-type=module", "-e", script], capture_output=True,
                          text=True, check=True).stdout


def test_t_follows_the_page_language() -> None:
    text, values = "diverged at step {step}", {"step": 7}
    assert _t_under_node("zh-CN", text, values) == "在第 7 步发散"
    assert _t_under_node("en", text, values) == "diverged at step 7"
    assert _t_under_node("zh-CN", "not a known text {x}", {"x": 1}) == "not a known text 1"
