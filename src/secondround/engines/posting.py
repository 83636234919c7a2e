"""Reading a pasted job posting: sections, values words, seniority and the closest role family.

Pure Python (no Django), so it can be tested alone. Everything is rule-based and offline:

* **sections** -- a line that looks like a heading ("What you'll do", "Requirements:",
  "## About us") starts a section; bullet or short lines under it are its items. Headings
  are matched against a small vocabulary (:data:`SECTION_HEADINGS`).
* **values words** -- words from a fixed lexicon (:data:`VALUES_LEXICON`) found in the
  posting or in what the job seeker knows of the company, reported once each, in the
  order of the lexicon.
* **seniority** -- the title's words first ("Senior", "Lead", "Junior" ...), then the
  years of experience asked for; "mid" when nothing says otherwise.
* **inline labels** -- "Requirements: 3 years in BI, SQL and Excel." is a heading and its
  items on one line; salary and pay lines go to benefits wherever they stand; a heading we
  do not know ("Our stack", "Location:") ends the section before it instead of spilling
  into it; "Interview process" and the like are read as the posting's interview steps.
* **prose** -- a posting without headings or bullets is split into sentences, and those
  that say what the job does or asks for become its responsibilities and requirements.
* **skills** -- every family lists the skills typical of it; those named in the posting
  are reported, in the order they first appear.
* **role family** -- the title decides first: the family that advertises under the longest
  title found in it (each family lists its titles). Without a title match, the skills
  found (weighted by how few families share them) and the family descriptions' words
  (inverse document frequency) score each family; below :data:`NO_FIT_SCORE` no family
  fits and none is chosen, rather than forcing the nearest one.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import pairwise

__all__ = [
    "NO_FIT_SCORE",
    "SECTION_HEADINGS",
    "SENIORITY_LEVELS",
    "VALUES_LEXICON",
    "FamilyProfile",
    "ParsedPosting",
    "PostingError",
    "match_role_family",
    "parse_posting",
    "require_posting_words",
    "skill_named",
]

MAX_CHARACTERS = 30_000
#: Below this score no role family fits the posting (see :func:`match_role_family`).
NO_FIT_SCORE = 2.0
OTHER = "other"
LEAD = "lead"  # lines before the first heading
SENIORITY_LEVELS = ("junior", "mid", "senior", "lead", "principal")

#: Section name -> heading phrases that start it (lower case, compared without punctuation).
SECTION_HEADINGS: dict[str, tuple[str, ...]] = {
    "responsibilities": (
        "responsibilities", "key responsibilities", "your responsibilities", "the role",
        "about the role", "what you will do", "what you'll do", "what youll do",
        "what you will be doing", "what you'll be doing", "in this role you will",
        "your day to day", "day to day", "your impact", "the job", "duties", "main duties",
        "what the job involves", "you will", "key accountabilities", "the successful candidate will",
        "the post holder will", "as our new hire you will", "in this role, you will", "accountabilities",
        "main responsibilities", "the opportunity", "what you'll be responsible for",
        "what you will be responsible for", "your mission", "the position", "role overview",
        "job description", "the work", "what the role involves",
    ),
    "requirements": (
        "requirements", "qualifications", "what you will bring", "what you'll bring",
        "what youll bring", "what we are looking for", "what we're looking for",
        "who you are", "about you", "you have", "you are", "skills", "experience",
        "must have", "must haves", "essential", "essential criteria", "minimum qualifications",
        "required skills", "skills and experience", "what you need", "requirements and skills",
        "what we need from you", "who we're looking for", "who we are looking for",
        "essential skills", "person specification", "key skills", "you'll need", "you will need",
        "you bring", "your profile", "profile", "candidate profile", "what you bring",
        "you will have", "you'll have", "youll have", "the successful candidate will have",
        "the ideal candidate will have", "the ideal candidate", "you should have",
        "what you'll need", "what you will need",
    ),
    "nice_to_have": (
        "nice to have", "nice to haves", "bonus points", "bonus", "preferred qualifications",
        "desirable", "desirable criteria", "it would be great if", "plus",
    ),
    "company": (
        "about us", "who we are", "about the company", "our mission", "the company",
        "why join us", "why us", "our story",
    ),
    "values": ("our values", "values", "how we work", "our culture", "culture"),
    "benefits": (
        "benefits", "what we offer", "perks", "perks and benefits", "compensation",
        "salary and benefits", "we offer", "salary", "pay", "salary range", "rewards",
        "compensation and benefits", "pay and benefits", "package", "what's in it for you",
    ),
    "stack": (
        "our stack", "tech stack", "the stack", "stack", "tools", "tools we use", "technologies",
        "our tools", "tech", "technology", "our tech stack", "tools and technologies",
    ),
    "process": (
        "interview process", "hiring process", "our process", "recruitment process",
        "the process", "what to expect", "next steps", "how we hire", "selection process",
        "our hiring process", "the interview process", "how to apply", "application process",
    ),
    "logistics": (
        "location", "hours", "working hours", "schedule", "contract", "shift pattern", "where",
        "when", "start date", "closing date", "reports to", "contract type", "working pattern",
        "the details", "details", "job details", "key facts", "at a glance",
    ),
}  # fmt: skip

#: Words that name a value, mapped to the value as people say it.
VALUES_LEXICON: dict[str, str] = {
    "integrity": "integrity", "honest": "honesty", "honesty": "honesty",
    "transparency": "transparency", "transparent": "transparency",
    "ownership": "ownership", "accountability": "accountability", "accountable": "accountability",
    "curiosity": "curiosity", "curious": "curiosity", "learning": "learning",
    "collaboration": "collaboration", "collaborative": "collaboration", "teamwork": "teamwork",
    "respect": "respect", "kindness": "kindness", "kind": "kindness", "empathy": "empathy",
    "inclusion": "inclusion", "inclusive": "inclusion", "diversity": "diversity",
    "diverse": "diversity", "trust": "trust", "excellence": "excellence",
    "quality": "quality", "craft": "craft", "innovation": "innovation", "innovative": "innovation",
    "customer": "customers first", "customers": "customers first", "patient": "patient care",
    "patients": "patient care", "safety": "safety", "candour": "candour", "candor": "candour",
    "humility": "humility", "humble": "humility", "courage": "courage",
    "sustainability": "sustainability", "autonomy": "autonomy",
    "care": "care", "fairness": "fairness", "simplicity": "simplicity",
}  # fmt: skip

_TITLE_SENIORITY = (
    ("principal", ("principal", "distinguished", "fellow")),
    ("lead", ("lead", "staff", "head", "director", "manager of", "chief")),
    ("senior", ("senior", "sr", "experienced")),
    ("junior", ("junior", "jr", "graduate", "entry", "entry level", "intern", "trainee",
                "apprentice", "associate")),
)  # fmt: skip
_BULLET = re.compile(r"^\s*(?:[-*•·▪◦‣–]|\d{1,2}[.)]|[a-z][.)])\s+", re.IGNORECASE)
_MARKDOWN_HEADING = re.compile(r"^\s*#{1,6}\s+")
_YEARS = re.compile(
    r"(\d{1,2})\s*(?:\+|plus)?\s*(?:-|–|to)?\s*(?:\d{1,2})?\s*\+?\s*years?", re.IGNORECASE
)
_WORD = re.compile(r"[a-z][a-z'’]+")
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "above",
        "after",
        "again",
        "against",
        "all",
        "also",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "below",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "yours",
        "yourself",
        "us",
        "per",
        "via",
        "etc",
        "role",
        "team",
        "work",
        "working",
        "job",
        "company",
        "new",
        "including",
        "using",
        "use",
        "across",
        "within",
        "strong",
        "good",
        "great",
        "looking",
        "able",
        "ability",
        "help",
        "helping",
        "make",
        "making",
        "well",
        "based",
        "every",
        "day",
        "other",
        "years",
        "year",
        "experience",
        "skills",
        "people",
        "build",
        "building",
        "ensure",
        "support",
    ]
)


class PostingError(ValueError):
    """The posting cannot be read (empty, not text, or too long)."""


@dataclass(frozen=True)
class FamilyProfile:
    """What a role family is about, in words the matcher compares a posting with.

    ``titles`` are the job titles the family is advertised under and ``skills`` the skills
    typical of it, all lower case.
    """

    slug: str
    name: str
    text: str
    titles: tuple[str, ...] = ()
    skills: tuple[str, ...] = ()
    look_alike_titles: tuple[str, ...] = ()


@dataclass(frozen=True)
class ParsedPosting:
    """What a job posting says, read into parts.

    Attributes
    ----------
    title : str
        The job title ("" when none is found).
    responsibilities, requirements, nice_to_have, benefits : tuple of str
        The items listed under each kind of heading, in the posting's order (salary and pay
        lines are benefits wherever they stand).
    company_lines : tuple of str
        Lines under "About us" and similar headings.
    values_words : tuple of str
        Values named in the posting or the company text, once each.
    seniority : str
        One of :data:`SENIORITY_LEVELS`.
    years : int or None
        The fewest years of experience asked for, when the posting says.
    role_family : str
        The slug of the role family ("" when none was given or none fits).
    role_family_score : float
        How strongly the family matched: 10 or more for a title match, otherwise the
        weighted skills-and-words score (below :data:`NO_FIT_SCORE` no family is chosen).
    mission : str
        A sentence about the company's mission or purpose, when one is found.
    skills : tuple of str
        Skills of any family named in the posting, in the order they first appear.
    interview_steps : tuple of str
        The posting's own interview steps, when it lists them.
    near_family : str
        A family whose titles include the posting's title but which does not fit it closely
        (a front-line title, a managing family, nothing else to go on); "" otherwise.
    """

    title: str
    responsibilities: tuple[str, ...]
    requirements: tuple[str, ...]
    nice_to_have: tuple[str, ...]
    benefits: tuple[str, ...]
    company_lines: tuple[str, ...]
    values_words: tuple[str, ...]
    seniority: str
    years: int | None
    role_family: str
    role_family_score: float
    mission: str
    family_scores: dict[str, float] = field(default_factory=dict)
    skills: tuple[str, ...] = ()
    interview_steps: tuple[str, ...] = ()
    near_family: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "title": self.title,
            "responsibilities": list(self.responsibilities),
            "requirements": list(self.requirements),
            "nice_to_have": list(self.nice_to_have),
            "benefits": list(self.benefits),
            "company_lines": list(self.company_lines),
            "values_words": list(self.values_words),
            "seniority": self.seniority,
            "years": self.years,
            "role_family": self.role_family,
            "role_family_score": round(self.role_family_score, 3),
            "mission": self.mission,
            "skills": list(self.skills),
            "interview_steps": list(self.interview_steps),
            "near_family": self.near_family,
        }


# Salary and pay: an amount with a currency, a "k" figure, or "per hour/annum" wording.
_SALARY = re.compile(
    r"(?:[£$€]\s?\d|\d\s?(?:k|K)\b|\b\d[\d,.]*\s?(?:eur|usd|gbp|chf)\b|\bper\s+(?:hour|annum|year)\b"
    r"|\bsalary\b|\bpay\s+(?:range|band|rate)\b|\bDOE\b|\bOTE\b)",
    re.IGNORECASE,
)
_INLINE_LABEL = re.compile(
    r"^\s*(?:[-*•]\s*)?\**([A-Za-z][A-Za-z '’&/-]{1,40}?(?:\s*\([^()]{1,30}\))?)\**\s*[:–—]\s*(\S.*)$"
)
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“])")
_RESPONSIBILITY_CUES = (
    "you will", "you'll", "you’ll", "responsible for", "your day", "day to day", "day-to-day",
    "the role", "this role", "the job", "you would", "duties", "in this position",
)  # fmt: skip
_REQUIREMENT_CUES = (
    "you have", "you've", "you’ve", "experience", "you bring", "must", "required", "ideally",
    "knowledge of", "familiar", "qualified", "qualification", "you are", "you're", "you’re",
    "background in", "degree", "licence", "license", "certificate", "skills", "comfortable",
    "we need", "we're looking for", "we are looking for", "looking for someone",
)  # fmt: skip
# Common English words that are also skills: they count only when written as a name.
_CAPITALISED_ONLY = frozenset(
    {"excel", "word", "outlook", "spark", "sage", "rust", "send", "pos", "lean", "ats", "till",
     "brand", "prep", "tickets", "wiring", "agile", "scrum", "tech", "hosting"}
)  # fmt: skip
_PROSE_TITLE = re.compile(
    r"(?:hiring|looking for|seeking|recruiting|need|appoint|join us as|join our team as|"
    r"as our (?:new|next))\s+(?:an?\s+|our\s+|two\s+|several\s+|some\s+)?(?:(?:new|first|"
    r"experienced|talented|passionate|friendly|skilled|motivated|reliable|enthusiastic)\s+)*"
    r"([\w&/+.-]+(?:\s+[\w&/+().-]+){0,5})",
    re.IGNORECASE,
)


def _plain(line: str) -> str:
    """A line lower-cased without markdown, bullets and trailing punctuation."""
    line = _MARKDOWN_HEADING.sub("", line)
    line = line.replace("’", "'").replace("*", "").replace("_", " ").strip()
    return re.sub(r"[\s:.!?\-–]+$", "", line).lower().strip()


def _known_heading(plain: str) -> str | None:
    for section, phrases in SECTION_HEADINGS.items():
        if plain in phrases:
            return section
    return None


# Headings nobody listed ("How we recruit", "Key tasks", "What we pay") still say what follows
# them: the first of these keywords found decides (order matters: "preferred qualifications"
# is nice to have, "interview process" is not the job's process work).
_HEADING_KEYWORDS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (section, re.compile(pattern))
    for section, pattern in (
        ("nice_to_have", r"\b(?:nice to have|bonus|desirable|preferred|advantageous)\b"),
        ("process", r"^(?:process|steps|stages)$|\b(?:interview(?:s|ing)?|how we (?:hire|recruit)|hiring (?:process|steps)|recruitment|"
                    r"selection|our process|the process|next steps)\b"),
        ("benefits", r"\b(?:benefits?|perks?|we offer|what we pay|salary|pay|compensation|"
                     r"rewards?)\b"),
        ("stack", r"\b(?:stack|tools|technologies|tech)\b"),
        ("company", r"\b(?:about us|about the (?:company|business|team)|who we are)\b"),
        ("responsibilities", r"\b(?:responsibilit\w*|accountabilit\w*|duties|tasks?|"
                             r"what you(?:'ll| will) (?:do|be doing|work on)|day[- ]to[- ]day|"
                             r"your days?|key performance areas?|the role|the job)\b"),
        ("requirements", r"\b(?:requirements?|qualifications?|what you(?:'ll| will)? (?:need|bring)|"
                         r"skills|experience|essential|the person|profile|who you are|"
                         r"about you|looking for)\b"),
    )
)  # fmt: skip


def _heading_by_keyword(plain: str) -> str | None:
    """The section an unlisted heading starts, from the words it uses (None: none says)."""
    if len(plain.split()) > 6:
        return None
    return next((section for section, words in _HEADING_KEYWORDS if words.search(plain)), None)


def _heading_kind(plain: str) -> str | None:
    return _known_heading(plain) or _heading_by_keyword(plain)


# "Our interview steps", "How we recruit": a heading even without a colon or capitals.
_PROCESS_HEADING = re.compile(
    r"^(?:our |the |your )?(?:interview|hiring|recruitment|selection)\s+(?:process|steps|stages)$"
    r"|^how we (?:hire|recruit|interview)$"
)


def _heading_section(line: str) -> str | None:
    """The section a line starts, when the line is a heading (OTHER for unknown headings)."""
    if _BULLET.match(line) and not _MARKDOWN_HEADING.match(line):
        return None
    plain = _plain(line)
    if not plain or len(plain) > 60:
        return None
    known = _known_heading(plain)
    if known:
        return known
    if _PROCESS_HEADING.match(plain):
        return "process"
    looks_like_heading = line.rstrip().endswith(":") or bool(_MARKDOWN_HEADING.match(line))
    if plain.startswith(("about ", "why ", "life at ")) and len(plain.split()) <= 4:
        return "company"  # "About Brightcart", "Why Lumen Pay", "Life at Kestrel"
    stripped = _MARKDOWN_HEADING.sub("", line).strip().strip("*").rstrip(":").strip()
    shouting = stripped.isupper() and len(stripped.split()) <= 6 and len(stripped) > 3
    if looks_like_heading or shouting:
        # The longest lead-in wins: "You will have" is a requirements heading, not "You will".
        leads = [
            (len(p), section)
            for section, phrases in SECTION_HEADINGS.items()
            for p in phrases
            if len(p) > 5 and plain.startswith(p + " ")
        ]
        if leads:
            return max(leads)[1]
        by_keyword = _heading_by_keyword(plain)
        if by_keyword:
            return by_keyword
        if len(plain.split()) <= 7:
            return OTHER  # a heading we do not know ends the section before it
    return None


def _inline_label(line: str) -> tuple[str, str] | None:
    """("requirements", "3 years in BI, SQL and Excel.") for "Requirements: 3 years ..."."""
    match = _INLINE_LABEL.match(line)
    if not match:
        return None
    label = _plain(match.group(1))
    section = _known_heading(label)
    colon = line[match.end(1) :].lstrip("* ").startswith(":")
    if not section and colon and len(label.split()) <= 4:
        # Only a colon makes an unlisted label a heading: "Tech Lead – Payments" is a title.
        section = _heading_by_keyword(label)
    return (section, match.group(2).strip()) if section else None


# A heading run inside a line: "... accounts. Our stack: Terraform, AWS. Interview process: 1) ..."
# -- a capitalised label of up to six words after a sentence's end, then a colon.
_LABEL_RUN = re.compile(
    r"(?<=[.!?])\s+(?=([A-Z][A-Za-z'’&/-]*(?:\s+[A-Za-z'’&/-]+){0,5}(?:\s*\([^()]{1,30}\))?)\s*:\s)"
)
# Emoji used as bullets or heading decorations ("🚀 What you'll work on", "☕ Pull espresso").
_EMOJI_LEAD = re.compile(
    r"^\s*[\u2190-\u21ff\u2300-\u27bf\u2b00-\u2bff\U0001f000-\U0001faff]+[\ufe0f\u200d]*\s*"
)


def _split_runs(line: str) -> list[str]:
    """A line cut where a known kind of heading starts mid-line, so "Cloud Engineer. Our
    stack: AWS. Interview process: 1) call 2) ..." reads as a title, a stack and steps."""
    cuts = [m.start() for m in _LABEL_RUN.finditer(line) if _heading_kind(_plain(m.group(1)))]
    bounds = [0, *cuts, len(line)]
    return [line[a:b].strip() for a, b in pairwise(bounds) if line[a:b].strip()]


def _without_emoji(line: str) -> str:
    """An emoji at the start of a line: dropped from a heading, read as a bullet otherwise."""
    if not _EMOJI_LEAD.match(line):
        return line
    rest = _EMOJI_LEAD.sub("", line)
    return rest if _heading_section(rest) not in (None, OTHER) else f"- {rest}"


def _posting_lines(text: str) -> list[str]:
    return [part for line in text.split("\n") for part in _split_runs(_without_emoji(line))] or [""]


def _item(line: str) -> str:
    return _BULLET.sub("", line).strip().rstrip(";").strip()


def _split_inline(content: str) -> list[str]:
    parts = [p.strip() for p in re.split(r";|(?<=\.)\s+", content) if p.strip()]
    return [p.rstrip(".").strip() for p in parts] or [content]


# Where one interview step ends and the next begins in a run: "1) call 2) exercise",
# "(1) a, (2) b", "a → b → c", "a, then b, then c", "Step 2 – ...".
_STEP_BREAK = re.compile(
    r"(?:[,;]\s*)?(?:\bstep\s+\d{1,2}\s*[:.)–—-]?|\(\d{1,2}\)|(?<![\w.,])\d{1,2}[.)](?!\d))\s+"
    r"|\s*(?:→|->|=>|»|>)\s*|,?\s+(?:and\s+)?then\s+|;\s*|,\s+(?=an?\s|the\s)",
    re.IGNORECASE,
)


def _split_steps(content: str) -> list[str]:
    """Interview steps written in one run, each without its number."""
    parts = [p.strip(" .,;:-–—") for p in _STEP_BREAK.split(content)]
    return [p for p in parts if len(p) > 2]


def _validate(text: object, name: str, *, required: bool) -> str:
    if not isinstance(text, str):
        raise PostingError(f"{name} must be text.")
    if required and not text.strip():
        raise PostingError(f"{name} is empty.")
    if len(text) > MAX_CHARACTERS:
        raise PostingError(f"{name} is longer than {MAX_CHARACTERS} characters.")
    if "\x00" in text:
        raise PostingError(f"{name} does not look like text.")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _title_segments(line: str) -> list[str]:
    stripped = _MARKDOWN_HEADING.sub("", line).strip().strip("*").strip()
    return [
        p.strip(" *") for p in re.split(r"\s+[|–—·•@]\s+|\s+-\s+|\s*\|\s*", stripped) if p.strip()
    ]


def _title(lines: list[str], families: list[FamilyProfile]) -> str:
    for line in lines[:8]:
        match = re.match(r"^\s*(?:job\s+)?(?:title|position|role|vacancy)\s*:\s*(.+)$", line, re.I)
        if match:
            return _title_segments(match.group(1))[0]
    for line in [line for line in lines if line.strip()][:5]:
        if _inline_label(line) or _heading_section(line) not in (None, OTHER):
            continue
        title = _title_in_line(line, families)
        if title:
            return title
    return _title_in_prose(" ".join(lines[:12]), families)


def _title_in_line(line: str, families: list[FamilyProfile]) -> str:
    """A title at the top: a known job title among "|" segments ("Acme | Frontend Developer
    | Remote"), else the line itself when it reads like a title, else its first sentence
    when that is short ("Software Tester (Manual). Write test cases ..."). A line that runs
    on into sentences gives its first sentence, up to a comma ("Stock Controller. Food
    distribution, Penang. ...", "Primary Teacher, Year 4 – St Anne's. ...")."""
    head, run_on = _first_sentence(line)
    segments = _title_segments(head)
    known = [s for s in segments if len(s) <= 80 and _title_match(s, families)[0]]
    if known:
        title = _AD_WORDS.sub("", known[0].rstrip(".!")).strip()
        return _before_comma(title) if run_on else title
    first = segments[0] if segments else ""
    one_line_title = len(first) <= 80 and not first.endswith(".") and first.count(" ") <= 10
    if first and one_line_title and not run_on:
        return first
    sentence = _AD_WORDS.sub("", (first or head).rstrip(".!?")).strip()
    if len(sentence.split()) <= 12 and _title_match(sentence, families)[0]:
        return _before_comma(sentence) if run_on else sentence
    return _before_comma(sentence) if _reads_as_title(sentence) else ""


_ABBREVIATIONS = frozenset({"sr", "jr", "st", "dr", "mr", "ms", "mrs", "no", "co", "inc", "ltd"})


def _first_sentence(line: str) -> tuple[str, bool]:
    """The line's first sentence, and whether more follows ("Sr. Engineer" is one)."""
    for match in re.finditer(r"[.!?]\s+(?=\S)", line):
        word = re.findall(r"\w+$", line[: match.start()])
        if word and word[0].lower() in _ABBREVIATIONS:
            continue
        return line[: match.start() + 1].strip(), True
    return line.strip(), False


def _before_comma(sentence: str) -> str:
    """A title opening a paragraph ends at its comma: "Mathematics Teacher (Grades 9-12),
    Riverdale Collegiate, Toronto. Plan ..." -- what follows names the place or the team."""
    return sentence.split(", ", 1)[0].strip()


# "Barista wanted!", "Chef needed" -- the words of a small ad around the title.
_AD_WORDS = re.compile(r"\s+(?:urgently\s+)?(?:wanted|needed|required)\s*!*$", re.IGNORECASE)
_TITLE_SMALL_WORDS = frozenset({"of", "and", "&", "to", "the", "for", "in", "at", "de", "/"})


def _reads_as_title(phrase: str) -> bool:
    """A short phrase of capitalised words ("UX Writer", "First Officer, A320 family"), the
    way a title opens a posting; not the opening of a sentence ("We are hiring")."""
    words = re.sub(r"\([^()]*\)", " ", phrase).replace(",", " ").split()
    if not 1 <= len(words) <= 6 or words[0].lower() in STOPWORDS:
        return False
    capitalised = [w for w in words if w[0].isupper() or w[0].isdigit()]
    others = [w for w in words if w not in capitalised and w.lower() not in _TITLE_SMALL_WORDS]
    return len(capitalised) >= 2 and len(others) <= 1 if len(words) > 1 else words[0].istitle()


_PROSE_TITLE_STOP = re.compile(
    r"\s(?:to|for|who|from|with|in|at|on|and|that|which|across|based|this|next)\b.*$", re.I
)


def _title_in_prose(text: str, families: list[FamilyProfile]) -> str:
    """The job a prose posting is hiring for: "we are hoping to appoint a maths teacher"."""
    for match in _PROSE_TITLE.finditer(text):
        phrase = _PROSE_TITLE_STOP.sub("", match.group(1)).strip(" ,.-")
        if phrase and _title_match(phrase, families)[0]:
            return phrase
    return ""


def _sections(lines: list[str]) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {name: [] for name in (*SECTION_HEADINGS, OTHER, LEAD)}
    current: str | None = None
    for line in lines:
        if not line.strip():
            continue
        inline = _inline_label(line)
        if inline:
            current, content = inline
            split = _split_steps if current == "process" else _split_inline
            sections[current].extend(split(content))
            continue
        heading = _heading_section(line)
        if heading is not None:
            current = heading
            continue
        item = _item(line)
        if item and current == "process":
            sections["process"].extend(_split_steps(item))
        elif item and _SALARY.search(item):
            sections["benefits"].append(item)
        elif item and _is_interview_step(item):
            sections["process"].append(item)
        elif item and current is not None:
            sections[current].append(item)
        elif item:
            sections[LEAD].append(item)
    return sections


# A sentence about the selection process, wherever it stands: "Interviews will include a
# 30-minute observed lesson", "Shortlisted candidates will be invited to ...".
_INTERVIEW_STEP = re.compile(
    r"^(?:the\s+|our\s+|all\s+|your\s+|final\s+|first[- ]round\s+|second[- ]round\s+)?"
    r"(?:interviews?|interview\s+(?:process|day|stage)|selection\s+(?:process|day)|assessment\s+day|"
    r"shortlisted\s+(?:candidates|applicants))\b.*\b(?:will|include|includes|involve|involves|"
    r"consist|consists|comprise|comprises|are|is)\b",
    re.IGNORECASE,
)


def _is_interview_step(sentence: str) -> bool:
    return bool(_INTERVIEW_STEP.match(sentence.strip()))


def _prose_steps(text: str) -> list[str]:
    """Interview-process sentences in running text."""
    steps = []
    for paragraph in text.split("\n"):
        for sentence in _SENTENCE.split(_item(paragraph)):
            if _is_interview_step(sentence):
                steps.append(sentence.strip().rstrip("."))
    return steps


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    """Items once each, in order (a posting pasted twice lists every duty twice)."""
    seen: set[str] = set()
    kept = []
    for item in items:
        key = " ".join(item.lower().split()).rstrip(".")
        if key not in seen:
            seen.add(key)
            kept.append(item)
    return tuple(kept)


def _prose_sections(text: str) -> tuple[list[str], list[str]]:
    """Responsibilities and requirements from a posting written as paragraphs."""
    responsibilities: list[str] = []
    requirements: list[str] = []
    other: list[str] = []
    for paragraph in re.split(r"\n\s*\n|\n", text):
        for sentence in _SENTENCE.split(paragraph.strip()):
            low = sentence.lower().replace("’", "'")
            if len(sentence.split()) < 4 or _SALARY.search(sentence):
                continue
            if _is_interview_step(sentence):
                continue  # read as an interview step by parse_posting
            if any(cue in low for cue in _REQUIREMENT_CUES):
                requirements.append(sentence.strip())
            elif any(cue in low for cue in _RESPONSIBILITY_CUES):
                responsibilities.append(sentence.strip())
            else:
                other.append(sentence.strip())
    if not responsibilities and not requirements:
        # Terse prose ("Translate technical documents, proofread ...") says what the job is.
        responsibilities = other
    elif not responsibilities:
        # "Deliver massage treatments ... Must hold ITEC Level 3.": the sentences that open
        # with a duty verb say what the job does even when only the asks have a cue.
        responsibilities = [s for s in other if _DUTY_OPENING.match(s)]
    return responsibilities, requirements


def _seniority(title: str, text: str) -> tuple[str, int | None]:
    years_found = [int(m.group(1)) for m in _YEARS.finditer(text) if int(m.group(1)) <= 30]
    years = min(years_found) if years_found else None
    title_words = " " + re.sub(r"[^a-z ]+", " ", title.lower()) + " "
    for level, cues in _TITLE_SENIORITY:
        if any(f" {cue} " in title_words for cue in cues):
            return level, years
    if years is None:
        return "mid", None
    if years >= 8:
        return "lead", years
    if years >= 5:
        return "senior", years
    if years >= 2:
        return "mid", years
    return "junior", years


def _values_words(*texts: str) -> tuple[str, ...]:
    words = set(_WORD.findall(" ".join(texts).lower()))
    found: list[str] = []
    for word, value in VALUES_LEXICON.items():
        if word in words and value not in found:
            found.append(value)
    return tuple(found)


# A sentence that states values rather than merely using a values word ("quality code").
_VALUES_STATEMENT = re.compile(
    r"\b(?:values?|valued|we care about|we believe in|principles|what we stand for|"
    r"culture of|we stand for)\b",
    re.IGNORECASE,
)


def _stated_values(values_section: list[str], *texts: str) -> tuple[str, ...]:
    """Values the posting (or the company text) states: its values section, and sentences
    that say what is valued. A values word used in passing ("patient care", "quality
    code") is not a value the company states."""
    stated = list(values_section)
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            if _VALUES_STATEMENT.search(sentence):
                stated.append(sentence)
    return _values_words(" ".join(stated))


def _with_prose_steps(steps: list[str], text: str) -> list[str]:
    """The listed interview steps, then interview-process sentences found elsewhere."""
    found = _prose_steps(text)
    return [*steps, *(f for f in found if not any(f.lower() in s.lower() for s in steps))]


#: Words any job posting uses; with the stopwords, "real words" for :func:`require_posting_words`.
_JOB_WORDS = frozenset(
    [
        "apply",
        "applicant",
        "candidate",
        "candidates",
        "hire",
        "hiring",
        "wanted",
        "needed",
        "position",
        "vacancy",
        "staff",
        "shift",
        "shifts",
        "weekend",
        "weekends",
        "weekdays",
        "pay",
        "paid",
        "salary",
        "hour",
        "hours",
        "hourly",
        "week",
        "weekly",
        "month",
        "monthly",
        "full",
        "part",
        "time",
        "contract",
        "permanent",
        "temporary",
        "remote",
        "office",
        "manage",
        "manager",
        "customer",
        "customers",
        "client",
        "clients",
        "service",
        "training",
        "train",
        "trained",
        "skill",
        "experienced",
        "responsibilities",
        "requirements",
        "duties",
        "benefits",
        "holiday",
        "holidays",
        "start",
        "immediate",
        "join",
    ]
)


def require_posting_words(text: str, families: Iterable[FamilyProfile] = ()) -> None:
    """Refuse text that does not read as a job posting: mostly tokens that are not words,
    or words of which almost none is common English or job vocabulary."""
    tokens = [t.strip(".,;:!?()[]{}\"'“”‘’*-–—/|#") for t in text.split()]
    tokens = [t for t in tokens if t]
    wordlike = [t.lower() for t in tokens if _is_word(t)]
    if not wordlike or len(wordlike) < 0.5 * len(tokens):
        raise PostingError(
            "The job posting does not read as text: too few real words. Paste the posting's "
            "own text."
        )
    known = _known_words(tuple(families))
    real = sum(1 for w in wordlike if w in known or _stem(w) in known)
    if real < 2 or (len(wordlike) >= 30 and real < 0.05 * len(wordlike)):
        raise PostingError(
            "The job posting does not read as a job posting: too few real words. Paste the "
            "posting's own text."
        )


def _is_word(token: str) -> bool:
    """Letters of one script (with an apostrophe or hyphen inside): "weekend", "don't"."""
    letters = token.replace("'", "").replace("’", "").replace("-", "")
    return letters.isalpha() and (letters.isascii() or not any(c.isascii() for c in letters))


@cache
def _known_words(families: tuple[FamilyProfile, ...]) -> frozenset[str]:
    words = set(STOPWORDS) | _JOB_WORDS | set(VALUES_LEXICON)
    for phrases in SECTION_HEADINGS.values():
        words.update(w for p in phrases for w in p.split())
    for family in families:
        text = " ".join([family.name, family.text, *family.titles, *family.skills]).lower()
        found = _WORD.findall(text)
        words.update(found)
        words.update(_stem(w) for w in found)
    return frozenset(words)


def _mission(*texts: str) -> str:
    for text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n+", text):
            low = sentence.lower()
            if any(
                cue in low
                for cue in ("our mission", "mission is", "we exist", "our purpose", "we believe")
            ):
                return _item(sentence).strip()
    return ""


def _stem(word: str) -> str:
    word = word.replace("’", "'").split("'")[0]
    for suffix in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "es", "ed", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            return word[: -len(suffix)]
    return word


def terms(text: str) -> list[str]:
    return [_stem(w) for w in _WORD.findall(text.lower()) if w not in STOPWORDS and len(w) > 2]


def _phrase_pattern(phrase: str) -> re.Pattern[str]:
    """A skill or title as a whole phrase; plural "s" and "-"/space variants allowed."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", phrase.strip())]
    body = r"[\s-]+".join(words)
    return re.compile(rf"(?<![\w.+#/]){body}(?:s|es)?(?![\w+#])", re.IGNORECASE)


@cache
def _compiled(phrase: str) -> re.Pattern[str]:
    return _phrase_pattern(phrase)


def phrase_found(phrase: str, text: str) -> bool:
    """Whether a skill or title phrase occurs in text as a whole phrase (common words that
    are also skills, like "Excel" or "Word", only when written with a capital)."""
    for match in _compiled(phrase).finditer(text):
        if phrase not in _CAPITALISED_ONLY or not match.group(0).islower():
            return True
    return False


def skill_named(skill: str, text: str) -> bool:
    """Whether a text names a skill: the phrase itself, or every word of it in any form
    ("drainage design" in "Designs drainage for new roads")."""
    if phrase_found(skill, text):
        return True
    wanted = set(terms(skill))
    return bool(wanted) and wanted <= set(terms(text))


def _title_match(title: str, families: Iterable[FamilyProfile]) -> tuple[str, int]:
    """A family advertised under the longest title found in ``title``, and its length."""
    matches, length = _title_matches(title, families)
    return (matches[0] if matches else ""), length


def _title_matches(title: str, families: Iterable[FamilyProfile]) -> tuple[list[str], int]:
    """Every family advertised under the longest title found in ``title`` (ties: "People
    Operations Coordinator" holds a people title and an operations one), and its length."""
    best: list[str] = []
    best_length = 0
    for family in families:
        length = max((len(k.split()) for k in family.titles if phrase_found(k, title)), default=0)
        if length > best_length:
            best, best_length = [family.slug], length
        elif length and length == best_length:
            best.append(family.slug)
    return best, best_length


def look_alike_family(title: str, families: Iterable[FamilyProfile]) -> str:
    """The family a title only looks like ("Veterinary Nurse", "Barista"): one of its
    look-alike titles is in the title and none of its own titles is longer."""
    families = list(families)
    _matches, own = _title_matches(title, families)
    for family in families:
        alike = max(
            (len(t.split()) for t in family.look_alike_titles if phrase_found(t, title)), default=0
        )
        if alike and alike >= own:
            return family.slug
    return ""


def skills_found(text: str, families: Iterable[FamilyProfile]) -> tuple[str, ...]:
    """Every family skill named in the text, once each, in the order they first appear."""
    positions: dict[str, int] = {}
    for family in families:
        for skill in family.skills:
            if skill in positions:
                continue
            match = next(
                (
                    m
                    for m in _compiled(skill).finditer(text)
                    if skill not in _CAPITALISED_ONLY or not m.group(0).islower()
                ),
                None,
            )
            if match:
                positions[skill] = match.start()
    # A skill inside a longer one found at the same place ("sql" in "postgresql") is dropped.
    found = sorted(positions, key=lambda s: (positions[s], -len(s)))
    return tuple(s for s in found if not any(s != o and s in o for o in found))


_QUALIFIERS = re.compile(
    r"^(?:(?:solid|strong|good|excellent|proven|some|deep|basic|hands-on|commercial|previous|"
    r"relevant|demonstrable|advanced|great|real|clear|confident|"
    # "sound knowledge of", but "sound mixing" is the skill itself
    r"(?:sound|working)(?=\s+(?:experience|knowledge|understanding|grasp)\b))\s+)*"
    r"(?:(?:experience|knowledge|understanding|skills?|background|expertise|familiarity|"
    r"fluency|proficiency|grasp)\s+(?:with|in|of|using)\s+)?",
    re.IGNORECASE,
)
_NOT_A_SKILL = re.compile(
    r"\d|\b(?:you|your|we|our|us|years?|months?|days?|hours?|week|required|preferred|"
    r"desirable|essential|plus|bonus|welcome|helpful|useful|ideally|must|a|an|the|is|are|be|"
    r"have|has|will|would|can|etc|e\.g|i\.e|love|ability|able|need|needed|just|level|"
    r"similar|other|related|equivalent|or|in|on|at|to|for|as|by|of|own|full|any|while|when|"
    r"where)\b",
    re.IGNORECASE,
)


# What a duty starts with before the skill it names: "You would do routine surgery".
_DUTY_VERB = re.compile(
    r"^(?:(?:you|we)\s+(?:(?:would|will|'ll|’ll|can|may)\s+)?)?(?:also\s+)?(?:(?:do|run|see|make|take|"
    r"carry out|perform|provide|deliver|give|offer|use|keep|manage|lead|handle|prepare|support|"
    r"help with|look after|work on|work with|plan|write|create|design|build|teach|coach|"
    r"operate|maintain|organise|organize|process|conduct|undertake|complete|help|advise|"
    r"set up|troubleshoot|improve|develop|deploy|hit|know|place|answer|edit|repair|reduce|"
    r"expect|ensure|own|drive|review|monitor|assess|treat|install|inspect|analyse|analyze)\s+)?",
    re.IGNORECASE,
)


_DETERMINER = re.compile(r"^(?:our|your|their|the|an?)\s+", re.IGNORECASE)


# Where a duty's skill ends: "monitoring anaesthesia during surgery", "sample processing for
# urine" -- lists, and the prepositions that say when or on what the skill is used.
_FRAGMENT_BREAK = re.compile(
    r",|;|\band\b|/|\(|\)|:|\.\s|\bor\b|\+|"
    r"\s(?:during|for|across|using|via|at)\s"
)
# "tour guiding in English", "Client consultation before every service": what follows these
# is a skill only when it names one ("on SQL Server"), never "a smile" or "every service".
_PREPOSITION_BREAK = re.compile(r"\s(?:in|with|before|after|from|on)\s")
# What a posting offers or a qualification it asks for, never a skill to be assessed:
# "Paid CPD", "Degree", "pet care discount", "uniform", "salary".
_NOT_A_SKILL_WORDS = re.compile(
    r"\b(?:degree|degrees|diploma|bsc|msc|ba|ma|phd|salary|paid|pay|discount|pension|holidays?|"
    r"bonus|uniform|allowance|benefits?|perks?|insurance|overtime|tips|leave|experience|"
    r"knowledge|understanding|every|each|all|many|team|role|job|position|company|licence|"
    r"license|please|engineers?|developers?|teachers?|"
    r"technicians?|assistants?|managers?|nurses?|analysts?|officers?|specialists?|designers?|"
    r"workers?|drivers?|coordinators?|advis[eo]rs?|consultants?|lawyers?|accountants?|crew|"
    r"administrators?|joiners?|receptionists?|clerks?|stylists?|background|closely)\b",
    re.IGNORECASE,
)
_PLAIN_WORDS = frozenset({"it", "part", "look", "questions", "rules", "comfortable", "things"})
_AWARD = re.compile(r"\s+(?:degree|qualification|diploma)$", re.IGNORECASE)
_PEOPLE = re.compile(
    r"(?:candidates?|people|customers?|clients?|staff|adults|children|guests)", re.IGNORECASE
)
# A duty phrase a family kit names as the posting's own skill when it is concrete: a tool,
# acronym or certification written with capitals inside it ("PLC", "HubSpot", "Sage 200"
# after its first word), or a method named by an activity noun ("invoice processing", "call
# handling", "medication administration", "variance analysis").
_METHOD_NOUN = re.compile(r"(?:ing|ment|tion|sion|sis|ance|ence)$", re.IGNORECASE)
_NOT_METHOD_NOUNS = frozenset(
    {"morning", "evening", "meeting", "building", "clothing", "parking", "funding", "thing",
     "something", "anything", "everything", "nothing", "ceiling", "spring", "string", "king",
     "wedding", "offering", "opening", "setting", "ring", "bring", "during", "location",
     "station", "position", "mission", "vision", "session", "question", "attention",
     "difference", "experience", "presence", "balance", "chance", "distance", "comment",
     "moment", "environment", "department", "equipment", "payment", "government"}
)  # fmt: skip
_DUTY_OPENING = re.compile(
    r"^(?:deliver|carry out|perform|provide|run|lead|manage|build|write|plan|design|keep|"
    r"maintain|support|handle|prepare|give|offer|do|take|make|teach|coach|operate|organi[sz]e|"
    r"process|conduct|undertake|complete|create|develop|assess|treat|install|repair|inspect|"
    r"monitor|review|analyse|analyze|answer|help)\b",
    re.IGNORECASE,
)
# "monitoring anaesthesia", "running nurse clinics": the activity's word before the skill.
# Lower case only ("Spring Boot", "Training provided" stay), and not the -ing words that
# describe rather than do ("engaging lessons", "existing systems").
_LEADING_GERUND = re.compile(
    r"^(?!(?:engaging|leading|outstanding|existing|growing|exciting|challenging|demanding|"
    r"caring|willing|amazing|ongoing|upcoming|incoming|outgoing|working)\b)[a-z]+ing\s+(?=\S)"
)


def skill_phrases(items: Iterable[str]) -> tuple[str, ...]:
    """Short skill phrases named in requirement or duty items: "Strong SQL Server, Kafka and
    first aid" gives "SQL Server", "Kafka", "first aid"; "You would see consults, do routine
    surgery" gives "consults", "routine surgery"; "tour guiding in English" gives "tour
    guiding", "English". Benefits and qualifications ("Paid CPD", "Degree") are never
    skills. Used where no family skill names them."""
    found: list[str] = []
    for item in items:
        for fragment in _FRAGMENT_BREAK.split(item):
            head, *tails = _PREPOSITION_BREAK.split(fragment)
            phrases = [_skill_phrase(head), *(_skill_phrase(t) for t in tails)]
            named = [phrases[0], *(t for t in phrases[1:] if t and _names_something(t))]
            for phrase in named:
                if phrase and phrase.lower() not in (f.lower() for f in found):
                    found.append(phrase)
    return tuple(found)


def _skill_phrase(fragment: str) -> str:
    """The skill a fragment names, or "" when it names none."""
    # A leading dot stays: ".NET" is a skill, "NET" is not.
    phrase = _DUTY_VERB.sub("", fragment.lstrip(" -–*").rstrip(" .-–*?!")).strip()
    activity = _LEADING_GERUND.sub("", phrase)
    # "welding inspection": the -ing word names what is inspected, so the phrase stays whole.
    phrase = phrase if _METHOD_NOUN.search(activity) and " " not in activity else activity
    # "optometry degree", "library qualification": the subject may be a skill, the award not.
    phrase = _AWARD.sub("", phrase).strip()
    phrase = _DETERMINER.sub("", phrase)
    phrase = _QUALIFIERS.sub("", phrase).lstrip(" -–*").rstrip(" .-–*")
    words = phrase.split()
    if not 1 <= len(words) <= 3 or len(phrase) < 2 or _NOT_A_SKILL.search(phrase):
        return ""
    if phrase in _PLAIN_WORDS:
        return ""  # "with it", "part of", "questions": what a sentence says around a skill
    if _NOT_A_SKILL_WORDS.search(phrase) or _PEOPLE.fullmatch(phrase):
        return ""  # benefits, qualifications and people are not skills
    if _known_heading(_plain(phrase)):
        return ""  # "Requirements" left over from a heading run is not a skill
    return phrase


def _names_something(phrase: str) -> bool:
    """Whether a phrase after "in", "with", "on" … names a skill: a name written with a
    capital mid-sentence ("English", "SQL Server") or a method ("wound management")."""
    return any(w[:1].isupper() for w in phrase.split()) or concrete_skill(phrase)


def match_role_family(
    title: str, body: str, families: Iterable[FamilyProfile]
) -> tuple[str, float, dict[str, float]]:
    """The role family of a posting, its score, and every family's score.

    A family advertised under a title found in the posting's title wins (the longest title
    found; score 10 + its length in words). Otherwise each family scores the idf-weighted
    skills of its own that the posting names, plus four times the idf-weighted share of
    its description's vocabulary the posting uses (title words counted three times). Below
    :data:`NO_FIT_SCORE` no family fits: ``("", score, scores)``.
    """
    families = list(families)
    if not families:
        return "", 0.0, {}
    scores = _body_scores(title, body, families)
    tied, length = _title_matches(title, families) if title else ([], 0)
    if tied:
        by_title = max(tied, key=lambda slug: scores[slug])
        scores[by_title] = 10.0 + length
        return by_title, scores[by_title], scores
    for slug in _title_openings_found(title, families) if title else ():
        scores[slug] += PARTIAL_TITLE_SCORE
    best = max(scores, key=lambda slug: scores[slug])
    if scores[best] < NO_FIT_SCORE:
        return "", scores[best], scores
    return best, scores[best], scores


#: Added to a family whose title opens like the posting's ("Contact Centre Advisor" and the
#: family's "contact centre agent"): a variant of its title, not proof on its own.
PARTIAL_TITLE_SCORE = 2.0
_GENERIC_TITLE_WORDS = frozenset({"senior", "junior", "lead", "head", "chief", "assistant", "trainee",
                                  "graduate", "principal", "staff", "team", "deputy", "general"})  # fmt: skip


def _title_openings_found(title: str, families: Iterable[FamilyProfile]) -> list[str]:
    """Families with a title whose first two words, neither generic, are in ``title``."""
    found = []
    for family in families:
        openings = {
            " ".join(t.split()[:2]) for t in family.titles
            if len(t.split()) >= 3 and not set(t.split()[:2]) & (_GENERIC_TITLE_WORDS | STOPWORDS)
        }  # fmt: skip
        if any(phrase_found(o, title) for o in openings):
            found.append(family.slug)
    return found


def _body_scores(title: str, body: str, families: list[FamilyProfile]) -> dict[str, float]:
    n = len(families)
    vocab = {f.slug: set(terms(f.name + " " + f.text)) for f in families}
    document_frequency: Counter[str] = Counter(w for words in vocab.values() for w in words)
    idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in document_frequency.items()}
    skill_owners: Counter[str] = Counter(s for f in families for s in set(f.skills))
    named = set(skills_found(title + "\n" + body, families))
    posting = Counter(terms(body))
    for word in terms(title):
        posting[word] += 3
    scores: dict[str, float] = {}
    for family in families:
        words = vocab[family.slug]
        total = sum(idf[w] for w in words) or 1.0
        hit = sum(idf[w] * min(posting[w], 3) / 3 for w in words if w in posting)
        skill_score = sum(
            math.log((n + 1) / (skill_owners[s] + 0.5)) for s in family.skills if s in named
        )
        scores[family.slug] = skill_score / 2 + 4 * hit / total
    return scores


def parse_posting(
    posting: str, *, company: str = "", families: Iterable[FamilyProfile] = ()
) -> ParsedPosting:
    """Read a pasted job posting (and, optionally, what is known of the company).

    Parameters
    ----------
    posting : str
        The posting as pasted, headings and bullets included (or plain paragraphs).
    company : str, optional
        What the job seeker knows of the company (its About page, values, news).
    families : iterable of FamilyProfile, optional
        The role families to match against; without them no family is chosen.

    Raises
    ------
    PostingError
        If the posting is empty, not text, contains NUL bytes or is over 30,000 characters.
    """
    families = list(families)
    text = _validate(posting, "The job posting", required=True)
    company = _validate(company, "The company text", required=False)
    lines = _posting_lines(text)
    title = _title(lines, families)
    sections = _sections(lines)
    prose = not sections["responsibilities"] and not sections["requirements"]
    if prose:
        offered = set(sections["benefits"])  # benefit bullets never give duties or skills
        bullets = [_item(line) for line in lines if _BULLET.match(line)]
        bullets = [b for b in bullets if b not in offered]
        prose_duties, prose_asks = _prose_sections(text)
        sections["responsibilities"] = [b for b in bullets if not _SALARY.search(b)] or prose_duties
        sections["requirements"] = prose_asks
    elif not sections["responsibilities"] and sections[LEAD]:
        # "UX Writer. Help users ... You write microcopy ... Requirements: ...": the prose
        # before the first heading says what the job does.
        lead_duties, lead_asks = _prose_sections(" ".join(sections[LEAD]))
        sections["responsibilities"] = lead_duties
        sections["requirements"] = [*lead_asks, *sections["requirements"]]
    seniority, years = _seniority(title, text)
    body = " ".join(
        [*sections["responsibilities"], *sections["requirements"], *sections["nice_to_have"],
         *sections["stack"]]
    )  # fmt: skip
    family, score, scores = match_role_family(title, text if prose else body, families)
    near_family = ""
    if not (sections["responsibilities"] or sections["requirements"]):
        near_family = family
        family, score = _unless_loose_fit(family, score, title, families)
        near_family = "" if family else near_family
    look_alike = look_alike_family(title, families)
    if look_alike:
        family, score, near_family = "", 0.0, look_alike
    return ParsedPosting(
        title=title,
        responsibilities=_unique(sections["responsibilities"]),
        requirements=_unique(sections["requirements"] + sections["stack"]),
        nice_to_have=_unique(sections["nice_to_have"]),
        benefits=_unique(sections["benefits"]),
        company_lines=_unique(sections["company"] + sections["values"]),
        values_words=_stated_values(sections["values"], text, company),
        seniority=seniority,
        years=years,
        role_family=family,
        role_family_score=score,
        mission=_mission(company, " ".join(sections["company"]), text),
        family_scores=scores,
        skills=_all_skills(text, sections, families, family=family, title=title),
        interview_steps=_unique(_with_prose_steps(sections["process"], text)),
        near_family=near_family,
    )


_MANAGING = re.compile(r"\b(?:manager|management|head|director|lead|supervisor|chief)\b", re.I)


def _unless_loose_fit(
    family: str, score: float, title: str, families: list[FamilyProfile]
) -> tuple[str, float]:
    """No family for a posting too short to say more than its title, when that title is a
    front-line job ("Barista wanted") and the family a managing one: the kit says no family
    fits rather than presenting a manager's work as the job."""
    profile = next((f for f in families if f.slug == family), None)
    if profile and _MANAGING.search(profile.name) and not _MANAGING.search(title):
        return "", 0.0
    return family, score


def _all_skills(
    text: str,
    sections: Mapping[str, list[str]],
    families: list[FamilyProfile],
    *,
    family: str,
    title: str = "",
) -> tuple[str, ...]:
    """Family skills the posting names, then other short skill phrases from what it asks for
    (and, for a role no family knows, from what it does), each once."""
    asked = [*sections["requirements"], *sections["stack"], *sections["nice_to_have"]]
    phrases = list(skill_phrases(asked))
    duty_phrases = skill_phrases(sections["responsibilities"])
    duties = sections["responsibilities"]
    phrases += [
        p for p in duty_phrases if not family or concrete_skill(p) or _capitalised_name(p, duties)
    ]  # fmt: skip
    known = [_as_written(k, text) for k in skills_found(text, families)]
    # The longest phrase wins: "SQL Server" in the posting names more than the family's "SQL".
    known = [_longest_phrase(k, phrases) for k in known]
    extra = [
        p for p in phrases
        if not any(phrase_found(k, p) or phrase_found(p, k) for k in known)
    ]  # fmt: skip
    own_title = _TITLE_QUALIFIER.split(title)[0].casefold()
    extra = [p for p in extra if p.casefold() != own_title]  # "Physiotherapist" is the job
    # Names and methods first, so a kit's few named skills are the concrete ones rather than
    # single words such as "routine" or "weight".
    extra.sort(key=lambda p: not (concrete_skill(p) or _capitalised_name(p, asked + duties)))
    return _unique_casefold([*known, *extra])


_TITLE_QUALIFIER = re.compile(r"\s*(?:[(,|@–—]|\s-\s)")


def _longest_phrase(skill: str, phrases: Sequence[str]) -> str:
    """The longest phrase of the posting that contains a family skill, or the skill."""
    longer = [p for p in phrases if _names_more(skill, p)]
    return max(longer, key=len) if longer else skill


def _capitalised_name(phrase: str, items: Iterable[str]) -> bool:
    """Whether a phrase is written with a capital inside a sentence ("Troubleshooting in
    Lansweeper"), so it is a name, not a sentence's first word ("Build a small team")."""
    if not phrase[:1].isupper():
        return False
    pattern = re.compile(r"[^\s.!?:;]\s+" + re.escape(phrase) + r"\b")
    return any(pattern.search(item) for item in items)


def _names_more(skill: str, phrase: str) -> bool:
    """Whether a phrase is the skill's name continued in capitals ("SQL" → "SQL Server",
    "Revit" → "Revit MEP"), not a task around it ("deploy NLP models", "plain JavaScript")."""
    if not phrase.lower().startswith(skill.lower() + " "):
        return False
    added = phrase[len(skill) :].split()
    return all(w[:1].isupper() for w in added)


def _unique_casefold(skills: Iterable[str]) -> tuple[str, ...]:
    seen: set[str] = set()
    unique = []
    for skill in skills:
        if skill.casefold() not in seen:
            seen.add(skill.casefold())
            unique.append(skill)
    return tuple(unique)


def concrete_skill(phrase: str) -> bool:
    """Whether a duty phrase names a tool, certification or method ("PLC", "Sage 200",
    "invoice processing"), not a task or a place ("Small team", "Build", "the floor")."""
    words = phrase.split()
    if any(any(c.isupper() for c in w[1:]) for w in words) or any(
        w[:1].isupper() for w in words[1:]
    ):
        return True
    last = words[-1].lower().strip(".,")
    return (
        (len(words) >= 2 or len(last) > 8)
        and bool(_METHOD_NOUN.search(last))
        and last not in _NOT_METHOD_NOUNS
    )


def _as_written(skill: str, text: str) -> str:
    """A skill as the posting writes it ("Snowflake", "SQL"), the family's spelling otherwise."""
    match = _compiled(skill).search(text)
    written = match.group(0) if match else skill
    shouting = written.isupper() and len(written) > 6  # shown in the family spelling
    return skill if written.islower() or shouting else written


def family_profiles(templates: Mapping[str, object]) -> list[FamilyProfile]:
    """Family profiles from role templates (anything with name, summary, responsibilities,
    competencies that have a name and description, and optionally titles and skills)."""
    profiles = []
    for slug, t in templates.items():
        parts = [t.name, t.summary, *t.responsibilities]  # type: ignore[attr-defined]
        for c in t.competencies:  # type: ignore[attr-defined]
            parts += [c.name, c.description]
        profiles.append(
            FamilyProfile(
                slug=slug,
                name=t.name,  # type: ignore[attr-defined]
                text=" ".join(parts),
                titles=tuple(getattr(t, "titles", ())),
                skills=tuple(getattr(t, "skills", ())),
                look_alike_titles=tuple(getattr(t, "look_alike_titles", ())),
            )
        )
    return profiles
