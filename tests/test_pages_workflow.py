"""Publishing on GitHub Pages: the workflow file, its build and link-check steps run here for a
project site and a user site, the output's Pages files (.nojekyll, 404.html, CNAME)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from caseshelf.loading.journal import load_journal
from caseshelf.model import Journal
from caseshelf.pipeline import BuildOptions, build, check
from caseshelf.problems import BuildFailed
from caseshelf.publish import publish_files
from conftest import REPO, SAMPLE_CONTENT, static_server, write_files

WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
#: The official actions and the oldest major that behaves as the workflow expects (upload v4+
#: leaves hidden files out; deploy v4+ needs an artifact from upload v3+).
OFFICIAL_ACTIONS = {
    "actions/checkout": 5, "actions/setup-python": 6, "actions/configure-pages": 5,
    "actions/upload-pages-artifact": 4, "actions/deploy-pages": 4,
}  # fmt: skip


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def triggers(workflow: dict) -> dict:
    # PyYAML follows YAML 1.1, where the key `on` is read as the boolean True.
    return workflow.get("on", workflow.get(True))


def steps(workflow: dict, job: str) -> list[dict]:
    return workflow["jobs"][job]["steps"]


def step_using(workflow: dict, job: str, action: str) -> dict:
    return next(step for step in steps(workflow, job) if step.get("uses", "").startswith(action + "@"))


def step_named(workflow: dict, job: str, name: str) -> dict:
    return next(step for step in steps(workflow, job) if step.get("name") == name)


# --- the workflow file -------------------------------------------------------------------------


def test_runs_on_push_to_main_and_by_hand(workflow):
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert "workflow_dispatch" in on


def test_has_the_permissions_and_concurrency_pages_needs(workflow):
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_uses_only_the_official_actions_at_current_majors(workflow):
    used = {step["uses"] for job in workflow["jobs"].values() for step in job["steps"] if "uses" in step}
    names = {use.split("@")[0] for use in used}
    assert names == set(OFFICIAL_ACTIONS)
    for use in used:
        name, version = use.split("@")
        assert re.fullmatch(r"v\d+", version), f"{use}: pin a major version tag"
        assert int(version[1:]) >= OFFICIAL_ACTIONS[name], use


def test_builds_for_the_pages_url_then_checks_links_then_uploads_the_output(workflow):
    configure = step_using(workflow, "build", "actions/configure-pages")
    build_step = step_named(workflow, "build", "Build the site")
    check_step = step_named(workflow, "build", "Check every internal link")
    upload = step_using(workflow, "build", "actions/upload-pages-artifact")
    assert build_step["env"]["BASE_URL"] == "${{ steps.%s.outputs.base_url }}" % configure["id"]
    assert "--base-url" in build_step["run"] and "--output _site" in build_step["run"]
    assert "check-links" in check_step["run"] and "--output _site" in check_step["run"]
    assert upload["with"]["path"] == "_site"
    order = steps(workflow, "build")
    assert order.index(configure) < order.index(build_step) < order.index(check_step) < order.index(upload)
    assert any(step.get("run", "").strip() == "pip install ." for step in order)


def test_deploys_in_the_github_pages_environment_after_the_build(workflow):
    deploy_job = workflow["jobs"]["deploy"]
    assert deploy_job["needs"] == "build"
    deploy = step_using(workflow, "deploy", "actions/deploy-pages")
    assert deploy_job["environment"] == {"name": "github-pages", "url": "${{ steps.%s.outputs.page_url }}" % deploy["id"]}


@pytest.mark.parametrize(
    "pages_url",
    ["https://example.github.io/rjpho", "https://example.github.io"],
    ids=["project-site", "user-site"],
)
def test_the_workflows_build_and_link_check_pass_here(workflow, tmp_path, pages_url):
    """Run the two shell steps as Actions would, with configure-pages' base_url (no trailing /)."""
    project = tmp_path / "repo"
    shutil.copytree(SAMPLE_CONTENT, project / "content")
    shutil.copy(REPO / "build.py", project / "build.py")
    python_dir = Path(sys.executable).parent  # `python` there is this interpreter (a venv's bin/)
    env = {**os.environ, "PATH": f"{python_dir}{os.pathsep}{os.environ['PATH']}", "PYTHONPATH": str(REPO), "BASE_URL": pages_url}
    for name in ("Build the site", "Check every internal link"):
        run = step_named(workflow, "build", name)["run"]
        done = subprocess.run(["bash", "-eo", "pipefail", "-c", run], cwd=project, env=env, capture_output=True, text=True, check=False)
        assert done.returncode == 0, f"{name}: {done.stdout}{done.stderr}"
    assert not (project / ".caseshelf-cache").exists()  # the run's checkout is thrown away with it
    site = project / "_site"
    assert (site / "pagefind" / "parts.json").is_file() and (site / "pagefind" / "2025" / "pagefind.js").is_file()
    assert f'href="{pages_url.removeprefix("https://example.github.io")}/static/' in (site / "404.html").read_text(encoding="utf-8")


# --- what the output gives GitHub Pages --------------------------------------------------------


def test_output_has_nojekyll_and_a_root_404_page(sample_site):
    assert (sample_site / ".nojekyll").is_file()
    assert (sample_site / "404.html").is_file()


def test_404_page_works_when_served_for_a_deep_missing_url(sample_site, tmp_path, page):
    """GitHub Pages answers any missing URL with /404.html's content, at the missing URL."""
    www = tmp_path / "www"
    shutil.copytree(sample_site, www / "rjpho")
    with static_server(www) as origin:
        deep = f"{origin}/rjpho/articles/no/such/page/"
        page.route(deep, lambda route: route.fulfill(status=404, path=www / "rjpho" / "404.html", content_type="text/html"))
        page.goto(deep)
        assert page.eval_on_selector(".site-header", "e => getComputedStyle(e).backgroundColor") == "rgb(7, 55, 99)"
        page.click("main a >> text=home page")
        page.wait_for_url(f"{origin}/rjpho/")


JOURNAL_YAML = "title: J\nbase_url: https://journal.example.org/\n"


def loaded_journal(content: Path, cname: str | None = None, cname_file: str | None = None) -> Journal:
    """journal.yaml (with `cname:` when given) and a CNAME file (when given), loaded."""
    write_files(content, {"journal.yaml": JOURNAL_YAML + (f"cname: {cname}\n" if cname else "")})
    if cname_file is not None:
        write_files(content, {"CNAME": cname_file})
    journal, problems = load_journal(content / "journal.yaml", content)
    if problems:
        raise BuildFailed(problems)
    return journal


def test_cname_from_journal_yaml(tmp_path):
    (file,) = publish_files(loaded_journal(tmp_path, cname="Journal.Example.org"))
    assert (file.path, file.content) == ("CNAME", b"journal.example.org\n")


def test_cname_file_in_content_is_copied(tmp_path):
    journal = loaded_journal(tmp_path, cname_file="journal.example.org\n")
    assert [(f.path, f.content) for f in publish_files(journal)] == [("CNAME", b"journal.example.org\n")]


def test_no_custom_domain_no_cname(tmp_path):
    assert publish_files(loaded_journal(tmp_path)) == []


@pytest.mark.parametrize(
    ("cname", "file_text", "problem"),
    [
        ("https://journal.example.org/", None,
         "journal.yaml:3: cname: 'https://journal.example.org/' is not a domain name such as journal.example.org (no https://, no path)"),
        (None, "journal.example.org\nother.example.org\n", "CNAME:2: a CNAME file holds exactly one domain name"),
        (None, "\nhttps://journal.example.org/\n",
         "CNAME:2: 'https://journal.example.org/' is not a domain name such as journal.example.org (no https://, no path)"),
        ("journal.example.org", "other.example.org\n", "CNAME:1: says 'other.example.org' but journal.yaml's cname is 'journal.example.org': keep one of them"),
    ],
)  # fmt: skip
def test_bad_custom_domain_is_a_problem_with_its_file_and_line(tmp_path, cname, file_text, problem):
    with pytest.raises(BuildFailed) as failure:
        loaded_journal(tmp_path, cname, file_text)
    assert [str(found) for found in failure.value.problems] == [problem]


def test_a_bad_cname_file_is_reported_by_check_with_the_records_problems(tmp_path):
    """It used to be found only once the records had passed, when the CNAME file was written."""
    source = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, source)
    (source / "CNAME").write_text("https://journal.example.org/\n", encoding="utf-8")
    record = next((source / "articles").rglob("*.md"))
    record.write_text(record.read_text(encoding="utf-8").replace("\nyear: ", "\nyear: 20x5\nold_year: ", 1), encoding="utf-8")
    with pytest.raises(BuildFailed) as failure:
        check(BuildOptions(source=source))
    files = {problem.path for problem in failure.value.problems}
    assert "CNAME" in files and record.relative_to(source).as_posix() in files


def test_build_copies_cname_to_the_output_root(tmp_path):
    source = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, source)
    (source / "CNAME").write_text("journal.example.org\n", encoding="utf-8")
    build(BuildOptions(source=source, output=tmp_path / "_site", search=False))
    assert (tmp_path / "_site" / "CNAME").read_text(encoding="utf-8") == "journal.example.org\n"


def test_invalid_cname_fails_the_build_and_leaves_the_output_alone(tmp_path, sample_site):
    source = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, source)
    (source / "CNAME").write_text("https://journal.example.org/\n", encoding="utf-8")
    output = Path(shutil.copytree(sample_site, tmp_path / "_site"))
    before = sorted(p.relative_to(output) for p in output.rglob("*"))
    with pytest.raises(BuildFailed):
        build(BuildOptions(source=source, output=output, search=False))
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before
