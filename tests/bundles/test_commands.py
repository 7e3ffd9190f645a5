import json

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from bundles import export
from tests import factories
from workshops.models import Workshop

from .helpers import row_counts


def export_to(tmp_path, workshop, name="bundle.finops.json"):
    path = tmp_path / name
    call_command("export_workshop", workshop.pk, output=str(path))
    return path


def test_export_workshop_writes_the_bundle(tmp_path, rich_workshop, capsys):
    path = export_to(tmp_path, rich_workshop)
    out = capsys.readouterr().out
    assert out == (
        f"Exported Acme Freight (2026-12-10) to {path} ({path.stat().st_size:,} bytes).\n"
    )
    written = json.loads(path.read_bytes())
    assert (
        written["checksum"]
        == json.loads(export.workshop_bundle(workshop=rich_workshop)[2])["checksum"]
    )


def test_export_workshop_default_name_and_no_overwrite(tmp_path, workshop, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Workshop.objects.filter(pk=workshop.pk).update(client_organisation="Beta Foods Ltd")
    call_command("export_workshop", workshop.pk)
    assert (tmp_path / "beta-foods-ltd-2026-12-10.finops.json").exists()
    with pytest.raises(CommandError) as caught:
        call_command("export_workshop", workshop.pk)
    assert str(caught.value) == (
        "beta-foods-ltd-2026-12-10.finops.json exists already; add --force to overwrite it."
    )
    call_command("export_workshop", workshop.pk, force=True)


def test_export_workshop_unknown(db):
    with pytest.raises(CommandError) as caught:
        call_command("export_workshop", 999)
    assert str(caught.value) == "There is no workshop 999 on this server."


def test_import_workshop_round_trip(tmp_path, rich_workshop, facilitator, capsys):
    path = export_to(tmp_path, rich_workshop)
    content = export.bundle_content(rich_workshop)
    rich_workshop.delete()
    capsys.readouterr()

    call_command("import_workshop", str(path))

    workshop = Workshop.objects.get()
    assert capsys.readouterr().out == (
        f"Imported: workshop {workshop.pk}, Acme Freight, AI FinOps Workshop (2026-12-10).\n"
        "The workshop has no facilitator here: only administrators see it. Run again with "
        "--facilitator USERNAME (and --on-conflict replace).\n"
    )
    assert export.bundle_content(workshop) == content


def test_import_workshop_refuses_a_conflict_by_default(tmp_path, rich_workshop):
    path = export_to(tmp_path, rich_workshop)
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        call_command("import_workshop", str(path))
    message = str(caught.value)
    assert message.startswith("This workshop already exists here (last changed ")
    assert message.endswith(
        "): replace it, import it as a copy, or cancel. Nothing was imported. Run again with "
        "--on-conflict replace or --on-conflict copy."
    )
    assert row_counts() == before


def test_import_workshop_replace_and_copy(tmp_path, rich_workshop, capsys):
    path = export_to(tmp_path, rich_workshop)
    call_command("import_workshop", str(path), on_conflict="replace")
    replaced = Workshop.objects.get()
    assert replaced.uid == rich_workshop.uid
    assert replaced.pk != rich_workshop.pk
    call_command("import_workshop", str(path), on_conflict="copy")
    assert sorted(Workshop.objects.values_list("title", flat=True)) == [
        "AI FinOps Workshop",
        "AI FinOps Workshop (copy)",
    ]
    out = capsys.readouterr().out
    assert "Replaced: workshop" in out
    assert "Imported as a copy: workshop" in out


def test_import_workshop_with_a_facilitator_links_only_that_account(tmp_path, workshop, capsys):
    path = export_to(tmp_path, workshop)
    workshop.delete()
    get_user_model().objects.filter(username="facilitator").delete()
    factories.make_facilitator(username="central")
    capsys.readouterr()

    call_command("import_workshop", str(path), facilitator="central")

    imported = Workshop.objects.get()
    # "facilitator" has an account here and facilitated the exported workshop: not linked.
    assert list(imported.facilitators.values_list("username", flat=True)) == ["central"]
    assert capsys.readouterr().out == (
        f"Imported: workshop {imported.pk}, Acme Freight, AI FinOps Workshop (2026-12-10).\n"
    )


def test_import_workshop_without_any_facilitator_here_says_so(tmp_path, workshop, capsys):
    path = export_to(tmp_path, workshop)
    workshop.delete()
    get_user_model().objects.all().delete()
    capsys.readouterr()
    call_command("import_workshop", str(path))
    assert "only administrators see it" in capsys.readouterr().out


def test_import_workshop_for_an_account_that_is_no_facilitator_refused(tmp_path, workshop):
    path = export_to(tmp_path, workshop)
    workshop.finance_reviewers.add(factories.make_user(username="fran"))
    before = Workshop.objects.count()
    with pytest.raises(CommandError) as caught:
        call_command("import_workshop", str(path), facilitator="fran", on_conflict="copy")
    assert str(caught.value) == (
        "“fran” is not a facilitator account. Make it one first: manage.py add_facilitator fran"
    )
    assert Workshop.objects.count() == before


def test_import_workshop_unknown_facilitator(tmp_path, workshop):
    path = export_to(tmp_path, workshop)
    with pytest.raises(CommandError) as caught:
        call_command("import_workshop", str(path), facilitator="nobody")
    assert str(caught.value) == "There is no account “nobody” on this server."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello", "This file is not a workshop bundle: it is not valid JSON (line 1, column 1)."),
        (
            b'{"format": "ai-finops-workshop-bundle", "version": 1, "checksum": "sha256:0"}',
            "The bundle was changed after it was exported: its checksum does not match its "
            "contents. Export it again from the original server.",
        ),
    ],
)
def test_import_workshop_refuses_a_bad_file(tmp_path, db, content, message):
    path = tmp_path / "bad.finops.json"
    path.write_bytes(content)
    before = row_counts()
    with pytest.raises(CommandError) as caught:
        call_command("import_workshop", str(path))
    assert str(caught.value) == f"{message} Nothing was imported."
    assert row_counts() == before


def test_import_workshop_refuses_a_file_over_20_mb(tmp_path, db):
    path = tmp_path / "huge.finops.json"
    with path.open("wb") as file:
        file.truncate(25 * 1024 * 1024)
    with pytest.raises(CommandError) as caught:
        call_command("import_workshop", str(path))
    assert str(caught.value) == (
        "The file is larger than 20 MB; a workshop bundle is far smaller. Nothing was imported."
    )


def test_import_workshop_missing_file(tmp_path, db):
    with pytest.raises(CommandError) as caught:
        call_command("import_workshop", str(tmp_path / "nope.json"))
    assert str(caught.value) == f"{tmp_path / 'nope.json'} is not a file."
