"""Benchmark: the posting reader on the postings corpus (issue #14).

For each posting in ``benchmarks/data/postings/*.txt``: is the role family right (or "none"
when no family fits), and how many of the role's key skills do the kit's own competencies
name (competency name, description and "what good looks like" -- the text the kit shows;
never the responsibilities and requirements it echoes from the posting). A skill counts
when one competency names it, as a phrase or with every word in some form. The bank questions
the kit also shows are left out (they need the database), so the skills figure is a floor.
The reader learns nothing from the corpus, so leave-one-out accuracy is plain accuracy.
``dev`` postings were read while building the reader; ``heldout`` ones only scored; ``fresh``
ones were written by another hand, labelled before the reader ever saw them (see the corpus
README). Where a posting is labelled with its title and interview steps, the benchmark also
scores the title read (right when it equals one of the labelled titles, ignoring case; "…
or qualified" also accepts one qualifier after it, "Physiotherapist (MSK)", "Financial
Analyst, FP&A", which the reader keeps on purpose) and
the steps found (each labelled step named by one of the steps read); postings that list no
steps count as "spurious" when the reader invents some.

    uv run python benchmarks/postings.py [--show-misses]
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from dataclasses import dataclass
from pathlib import Path

CORPUS = Path(__file__).with_name("data") / "postings"
_HEADER = re.compile(r"^=== (.+)$", re.M)


@dataclass(frozen=True)
class Posting:
    id: str
    family: str
    split: str
    skills: tuple[str, ...]
    text: str
    titles: tuple[str, ...] = ()  # empty: the title is not labelled
    steps: tuple[str, ...] | None = None  # None: the steps are not labelled


def load_corpus(folder: Path = CORPUS) -> list[Posting]:
    postings = []
    for path in sorted(folder.glob("*.txt")):
        parts = _HEADER.split(path.read_text(encoding="utf-8"))[1:]
        for header, text in zip(parts[::2], parts[1::2], strict=True):
            fields = dict(f.split(":", 1) for f in header.split(" | "))
            fields = {k.strip(): v.strip() for k, v in fields.items()}
            postings.append(
                Posting(
                    id=fields["id"],
                    family="" if fields["family"] == "none" else fields["family"],
                    split=fields["split"],
                    skills=_listed(fields["skills"]),
                    text=text.strip(),
                    titles=_listed(fields.get("title", "")),
                    steps=_listed(fields.get("steps", "")) if "title" in fields else None,
                )
            )
    return postings


def _listed(field: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in field.split(";") if s.strip())


def _normal_title(title: str) -> str:
    return " ".join(title.casefold().strip(" .,:;!-–—|@").split())


# One qualifier after the job: "(MSK)", ", FP&A", " – Nights". The reader keeps it (it is
# part of what the posting says the job is: "Data Analyst (Junior)"); a label names the job.
_ONE_QUALIFIER = r"\s*(?:\([^()]*\)|,\s*[^,()–—]+|\s[–—-]\s[^,()–—]+)"


def title_right(read: str, titles: tuple[str, ...], *, qualified: bool = False) -> bool:
    """The title read is a labelled title (with ``qualified``, also one followed by one
    qualifier)."""
    normal = _normal_title(read)
    tail = f"(?:{_ONE_QUALIFIER})?" if qualified else ""
    return any(re.fullmatch(re.escape(_normal_title(t)) + tail, normal) for t in titles)


def steps_found(read: list[str], expected: tuple[str, ...]) -> int:
    """How many of the labelled interview steps one of the steps read names."""
    from secondround.engines.posting import skill_named

    return sum(any(skill_named(step, r) for r in read) for step in expected)


def kit_texts(parsed: dict, templates: dict) -> tuple[list[str], list[str]]:
    """What each of the kit's competencies shows: without and with the competency naming the
    posting's own skills."""
    from secondround.prep.posting_kit import SKILLS_COMPETENCY, posting_competencies, shown_text

    competencies = posting_competencies(parsed, templates.get(parsed["role_family"]))
    shown = [(c.name, shown_text(c)) for c in competencies]
    return [t for n, t in shown if n != SKILLS_COMPETENCY], [t for _n, t in shown]


def kit_is_made(parsed: dict) -> bool:
    """The rule of ``prep.services.create_posting_kit``: refused only when nothing of a job
    was found (no duties, requirements, skills or family)."""
    found = parsed["responsibilities"] or parsed["requirements"] or parsed["skills"]
    return bool(found or parsed["role_family"] or parsed.get("near_family"))


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "–"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--show-misses", action="store_true", help="list the dev misses")
    parser.add_argument(
        "--dev-only", action="store_true", help="score only the dev postings (while tuning)"
    )
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from secondround.engines.posting import family_profiles, parse_posting, skill_named
    from secondround.hiring.role_templates import role_templates

    templates = role_templates()
    families = family_profiles(templates)
    corpus = [p for p in load_corpus() if p.split == "dev" or not args.dev_only]
    started = time.perf_counter()
    rows: dict[str, list[float]] = {}
    misses = []
    for posting in corpus:
        parsed = parse_posting(posting.text, families=families).to_dict()
        family_only, with_skills = kit_texts(parsed, templates)
        right = parsed["role_family"] == posting.family
        in_family = sum(any(skill_named(s, t) for t in family_only) for s in posting.skills)
        in_kit = sum(any(skill_named(s, t) for t in with_skills) for s in posting.skills)
        kit_made = kit_is_made(parsed)
        for split in (posting.split, "all"):
            row = rows.setdefault(split, [0] * 12)
            row[0] += 1
            row[1] += right
            row[2] += len(posting.skills)
            row[3] += in_family
            row[4] += in_kit
            row[5] += kit_made
            if posting.titles:
                row[6] += 1
                row[7] += title_right(parsed["title"], posting.titles)
                row[11] += title_right(parsed["title"], posting.titles, qualified=True)
            if posting.steps is not None:
                row[8] += len(posting.steps)
                row[9] += steps_found(parsed["interview_steps"], posting.steps)
                row[10] += bool(parsed["interview_steps"]) and not posting.steps
        if posting.split == "dev" and not (right and kit_made):  # never held-out misses
            misses.append(f"{posting.id}: expected {posting.family or 'none'}, read "
                          f"{parsed['role_family'] or 'none'} (title {parsed['title']!r}), "
                          f"kit {'made' if kit_made else 'refused'}")  # fmt: skip
    elapsed = time.perf_counter() - started
    print(f"Posting reader on {len(corpus)} postings, {len(templates)} role families "
          f"({elapsed:.1f} s)\n")  # fmt: skip
    print(f"{'split':<8} {'postings':>8} {'family right':>14} {'key skills in kit':>18} "
          f"{'… family text only':>19} {'kits made':>10} {'title right':>12} "
          f"{'steps found':>12} {'spurious steps':>15} {'… or qualified':>15}")  # fmt: skip
    for split in (*sorted(s for s in rows if s != "all"), "all"):
        n, right, skills, in_family, in_kit, made, titled, titles, steps, found, spurious, quali = (
            rows[split]
        )
        print(f"{split:<8} {n:>8} {right / n:>13.0%} {in_kit / skills:>18.0%} "
              f"{in_family / skills:>19.0%} {made / n:>10.0%} {_share(titles, titled):>12} "
              f"{_share(found, steps):>12} {spurious:>15} {_share(quali, titled):>15}")  # fmt: skip
    if args.show_misses:
        print("\n" + "\n".join(misses))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
