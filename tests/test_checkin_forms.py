"""Check-in forms are content: Piiri's own form, and room for an organisation's licensed one."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from engine import ContentError
from engine.content import content_root
from facilitator.checkins.content import DOMAINS, load_checkin_forms
from facilitator.cli import main


def test_piiris_own_form_is_short_complete_and_in_every_language() -> None:
    form = load_checkin_forms().forms["piiri-arki"]
    items = form.items()
    assert 6 <= len(items) <= 12  # short: minutes, not an afternoon
    assert {item.domain for item in items} == set(DOMAINS)
    assert form.owner and form.licence
    for item in items:
        assert set(item.text.languages()) >= {"fi", "sv", "en", "fi-x-selko"}, item.id
        assert len(item.text["fi-x-selko"]) <= 100, item.id
    kinds = {item.kind for item in items}
    assert {"scale10", "scale5", "yes_no", "short_text"} <= kinds


def copy_checkins(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(content_root() / "checkins", root / "checkins")
    return root


def test_a_licensed_form_is_a_file_of_its_own_with_owner_and_licence(tmp_path: Path) -> None:
    root = copy_checkins(tmp_path)
    own = yaml.safe_load((root / "checkins" / "piiri-arki.yaml").read_text(encoding="utf-8"))
    own.update(id="licensed-form", owner="An institute", licence="Licensed to one county")
    (root / "checkins" / "licensed-form.yaml").write_text(yaml.safe_dump(own, allow_unicode=True),
                                                         encoding="utf-8")
    forms = load_checkin_forms(root).forms
    assert forms["licensed-form"].owner == "An institute"
    assert set(forms) == {"piiri-arki", "licensed-form"}


@pytest.mark.parametrize("change, words", [
    (lambda d: d["sections"][0]["items"][0].pop("low"), "low: is missing"),
    (lambda d: d.update(id="other-name"), "name the file other-name.yaml"),
    (lambda d: d["sections"][0]["items"].append(dict(d["sections"][0]["items"][0])),
     "is used twice"),
    (lambda d: d["sections"][0]["items"][0].update(domain="money"), "must be one of"),
])
def test_a_broken_form_names_the_problem(tmp_path: Path, change, words: str) -> None:  # type: ignore[no-untyped-def]
    root = copy_checkins(tmp_path)
    path = root / "checkins" / "piiri-arki.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_checkin_forms(root)
    text = str(caught.value)
    assert "content/checkins/piiri-arki.yaml" in text and words in text


def test_content_check_covers_checkin_forms() -> None:
    result = CliRunner().invoke(main, ["content", "check"])
    assert result.exit_code == 0, result.output
    assert "checkins/piiri-arki.yaml" in result.output


def test_a_form_named_after_another_id_is_reported_at_its_id_line(tmp_path: Path) -> None:
    root = copy_checkins(tmp_path)
    path = root / "checkins" / "piiri-arki.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    number = next(i for i, line in enumerate(lines, 1) if line.startswith("id:"))
    lines[number - 1] = "id: other-name"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ContentError) as caught:
        load_checkin_forms(root)
    [problem] = caught.value.problems
    assert problem.file.endswith("checkins/piiri-arki.yaml")
    assert problem.line == number and problem.field.endswith("id")
