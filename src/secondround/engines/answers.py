"""Practice-answer analysis: STAR parts, specificity, ownership, relevance, delivery.

A candidate types (or pastes) an answer to a behavioural interview question and gets
feedback at once. Everything here is offline and deterministic: a small shipped model
(:mod:`secondround.engines.star_model`, weights in ``data/star_model.json``) is read once,
nothing is downloaded or trained at run time, and one answer takes about 10 ms.

What is measured
----------------
STAR parts
    The answer is split into sentences. Each sentence gets the hand-written cues below,
    and the sentence model decides which parts it carries from those cues, its words and
    its neighbours' cues (a sentence may carry several parts). The cues alone were tuned
    on one writer and generalised poorly; as model features they are evidence, not
    verdicts. The cues, per part:

    * **situation** -- a story anchor in time or place ("last winter", "at my previous
      job", "when I was the charge nurse"), someone's role ("as the on-call engineer"),
      or a clause that describes circumstances rather than the speaker's own steps
      ("our checkout service started timing out", "there was a backlog");
    * **task** -- what had to be achieved or who owned it ("my job was to", "I was asked
      to", "we needed to", "the goal was", "my manager wanted me to");
    * **action** -- the speaker or their team doing something: *I* or *we* followed by
      an action verb (not *was*, *had*, *think*, *would* ...), in the past tense, or in
      the present tense when the answer tells a story (a common way of narrating,
      especially for speakers of English as a second language);
    * **result** -- what followed the actions: a change with a number ("fell from 11 to
      5 days"), a reached state ("they renewed", "it went live on time", "the crashes
      stopped"), someone's reaction after the actions, or an explicit connective ("as a
      result", "in the end").

    Conditional and habitual sentences ("I would ...", "if I had ...", "I always ...")
    tell no story, so they carry no part. An answer that never tells a story (no past
    tense and no anchor) has no action in the present tense either.
specificity
    Numbers, named things (tools, products, places, people) and a concrete outcome, each
    saturating, weighted 0.4 / 0.3 / 0.3.
ownership
    The share of action clauses whose subject is *I* rather than *we* (smoothed so that
    an answer with no such clause scores 0.5).
relevance
    Word overlap with the question and the competency's name and description, plus a
    small built-in lexicon for the competency's kind; 0.5 (neutral) when neither a
    question nor a competency is given. See :func:`analyze_answer`.
length
    Word count and speaking time at :data:`WORDS_PER_MINUTE` words per minute.
filler and hedging words
    Counted from lists (:data:`FILLER_PHRASES`, :data:`HEDGE_PHRASES`); "like", "you
    know", "I mean", "kind of" and "sort of" only where used as fillers.
score
    Half for the STAR parts, a quarter each for specificity and relevance; a measured
    relevance below :data:`RELEVANCE_GATE` shrinks it, to half at relevance 0, and so does
    length beyond :data:`LONG_SECONDS` spoken (to 0.4 times at ten minutes).

Word lists live in ``data/answer_words.json``. The model is trained on the nine-writer
corpus in ``benchmarks/data/answers/`` by ``scripts/train_answer_model.py`` and measured by
``benchmarks/answers.py`` leaving one writer out; see ``docs/answers.md`` for the figures,
the labelling guide and the known limits.
"""

from __future__ import annotations

import dataclasses
import json
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from secondround.engines.star_model import StarModel, load_model, sentence_shape_features

__all__ = [
    "COMPETENCY_KINDS",
    "MAX_CHARACTERS",
    "OFF_TOPIC_RELEVANCE",
    "STAR_PARTS",
    "WORDS_PER_MINUTE",
    "AnswerAnalysis",
    "AnswerError",
    "StarPart",
    "analyze_answer",
    "split_sentences",
    "spoken_duration",
    "star_features",
    "star_parts",
]

#: Speaking rate assumed for the speaking-time estimate (a calm interview pace).
WORDS_PER_MINUTE = 140
#: Longest answer accepted, in characters (about 30 minutes of speech).
MAX_CHARACTERS = 30_000
#: The four parts of a STAR answer, in the order they are usually told.
STAR_PARTS = ("situation", "task", "action", "result")
#: Competency kinds with a built-in relevance lexicon (the hiring app's kinds).
COMPETENCY_KINDS = (
    "technical",
    "problem_solving",
    "leadership",
    "stress",
    "collaboration",
    "values",
    "role_specific",
)
#: A spoken answer to a behavioural question is best between these many seconds.
IDEAL_SECONDS = (60, 150)
#: Below this many seconds an answer is too short to tell a whole story.
SHORT_SECONDS = 40
#: Relevance (when measured) from which an answer's score is no longer reduced.
RELEVANCE_GATE = 0.25


class AnswerError(ValueError):
    """The answer (or the question or competency given with it) cannot be analysed."""


@dataclass(frozen=True)
class StarPart:
    """One STAR part of an answer.

    Attributes
    ----------
    present : bool
        Whether the answer carries this part.
    sentences : tuple of str
        The sentences that carry it, in the answer's order (empty when absent).
    """

    present: bool
    sentences: tuple[str, ...]


@dataclass(frozen=True)
class AnswerAnalysis:
    """Feedback on one practice answer.

    Attributes
    ----------
    star : dict of str to StarPart
        ``situation``, ``task``, ``action`` and ``result``, in that order.
    specificity : float
        0..1; numbers, named things and a concrete outcome.
    ownership : float
        0..1; share of the actions told with *I* rather than *we* (0.5 when none).
    relevance : float
        0..1; overlap with the question and competency (0.5 when neither was given).
    word_count : int
        Words in the answer.
    speaking_seconds : int
        Estimated time to say it aloud at :data:`WORDS_PER_MINUTE`.
    filler_words : dict of str to int
        Every filler and hedging word or phrase found, with its count.
    hedges : dict of str to int
        The hedging subset of ``filler_words`` ("I think", "maybe" ...).
    suggestions : tuple of str
        Exactly three concrete suggestions, most useful first; none contradicts the
        answer (no "end with a lesson" to an answer that tells one).
    score : float
        0..1 overall: half for the STAR parts, a quarter each for specificity and
        relevance, reduced when a measured relevance is low (see ``RELEVANCE_GATE``).
    """

    star: dict[str, StarPart]
    specificity: float
    ownership: float
    relevance: float
    word_count: int
    speaking_seconds: int
    filler_words: dict[str, int]
    hedges: dict[str, int]
    suggestions: tuple[str, str, str]
    score: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        """The analysis as plain JSON-ready data (the ``practice analyze`` JSON shape).

        Returns
        -------
        dict
            Keys ``star``, ``specificity``, ``ownership``, ``relevance``, ``word_count``,
            ``speaking_seconds``, ``filler_words``, ``suggestions`` and ``score``.
        """
        return {
            "star": {
                part: {"present": value.present, "sentences": list(value.sentences)}
                for part, value in self.star.items()
            },
            "specificity": self.specificity,
            "ownership": self.ownership,
            "relevance": self.relevance,
            "word_count": self.word_count,
            "speaking_seconds": self.speaking_seconds,
            "filler_words": dict(self.filler_words),
            "suggestions": list(self.suggestions),
            "score": self.score,
        }


# ---------------------------------------------------------------------------------------
# Word lists live in data/answer_words.json (shipped with the package); patterns stay here.
# ---------------------------------------------------------------------------------------

_WORD_LISTS: dict[str, Any] = json.loads(
    (Path(__file__).parent / "data" / "answer_words.json").read_text(encoding="utf-8")
)


def _word_list(name: str) -> frozenset[str]:
    return frozenset(_WORD_LISTS[name])


_SUBJECTS = {"i", "we"}
#: Words that may stand between a subject and its verb ("I then quickly rewrote ...").
_ADVERBS = _word_list("adverbs")
#: Verbs after I/we that describe a state, a thought, an obligation or a modal, not a step.
_NON_ACTION_VERBS = _word_list("non_action_verbs")
#: Present-tense verbs that are steps when an answer narrates in the present tense.
_PRESENT_ACTION_OK = _word_list("present_action_ok")
_IRREGULAR_PAST = _word_list("irregular_past")
#: Words ending in -ed that are usually adjectives after a pronoun.
_ED_ADJECTIVES = _word_list("ed_adjectives")
_ENGLISH_MARKERS = _word_list("english_markers")
#: Common words of other languages that are not English words ("ich", "nous", "porque").
_OTHER_LANGUAGE_MARKERS: dict[str, frozenset[str]] = {
    language: frozenset(words) for language, words in _WORD_LISTS["other_language_markers"].items()
}
#: Habitual and hypothetical markers: a sentence with one tells no particular story.
_HABITUAL = re.compile(
    r"\b(always|usually|normally|generally|typically|often|tend to|every time|whenever|"
    r"in general|as a rule|all the time|most of the time|used to)\b"
)
_MODAL_BEFORE_VERB = _word_list("modal_before_verb")

_TASK_PATTERNS = [
    re.compile(p)
    for p in (
        # "my job was to", "the goal was ...", "our target was to", "my brief from X was to"
        r"\b(job|task|role|responsibility|responsibilities|duty|mandate|remit|assignment)\b"
        r"[^.,;]{0,40}?\b(was|is|were|are)\b\s+(to|that|making|getting|ensuring|keeping)\b",
        r"\b(goal|goals|aim|objective|objectives|target|targets|mission|brief|requirement|"
        r"requirements|challenge|priority|deliverable|ask)\b[^.,;]{0,40}?\b(was|is|were|are)\b",
        r"\b(it was|it is|it's|it’s|was|is) (part of )?(my|our) (job|task|role|"
        r"responsibility|duty)\b",
        r"\bpart of my (job|role|responsibilities|duties|remit)\b",
        r"\b(i|we) (was|were|had been|have been|got) (\w+ly )?(asked|tasked|told|given|assigned|"
        r"charged|expected|responsible|in charge|brought in|hired|put in charge|required|"
        r"chosen|selected|appointed|the one who|handed)\b",
        r"\b(responsible for|in charge of|accountable for|tasked with|charged with|owner of)\b",
        r"\b(it|this|that) (was|fell|came) (up )?to (me|us)\b",
        r"\b(fell|falls|came) to (me|us)\b",
        r"\b(i|we) (\w+ )?(had|needed|need|have|has|must|were required) to\b",
        r"\b(i|we) (really )?(needed|need)\b",
        r"\b(i|we) (had|have) got to\b",
        r"\b(i|we) must\b",
        r"\b(i|we) (wanted|want|decided that i needed|was determined|were determined|aimed) to\b",
        r"\b(asked|ask|asks|tasked|told|tell|tells|wanted|want|wants|needed|needs|expected|"
        r"expects|say|says|said|challenged|instructed|assigned|hired) (me|us)\b",
        r"\b(gave|give|gives|given|set|sets) (me|us) [^.;]{0,40}?\bto\b",
        r"\b(gave|give|gives|given|set|sets|handed) (me|us) (the|a|an|this|my|our) (\w+ )?(task|"
        r"job|goal|target|deadline|responsibility|brief|challenge|account|project|budget)\b",
        r"\bbrought (me|us) in\b",
        r"\b(want|wants|wanted) that (i|we)\b",
        r"^\s*(asked|tasked|charged|told|given|hired) (to|with)\b",
        r"\b(asked|tasked|charged|hired|appointed|brought in|employed) to\b",
        r"\b(the|a|my|our) (question|problem) (was|i had to answer) (how|whether|why|what)\b",
    )
]

#: Number words a time span or a count is told with ("two weeks", "three days").
_SMALL_NUMBER = (
    r"((a|one)\s+)?(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|ninety|hundred|few|couple of)"
)
#: Nouns that name a goal, an obligation or an assignment ("the brief", "my remit").
_GOAL_NOUN = (
    r"(goal|aim|objective|target|brief|mission|remit|mandate|deadline|requirement|kpi|ask|"
    r"priority|job|task|role|responsibility|duty|assignment|plan|challenge|order|instruction)s?"
)
#: Task frames: phrasings of a goal or an obligation general enough to carry across
#: writers. Unlike ``_TASK_PATTERNS`` they are not verdicts but features of the task
#: classifier only (``frame:NAME``), which weighs them with everything else.
_TASK_FRAMES = {
    name: re.compile(pattern)
    for name, pattern in {
        "obligation": r"\b(had|needed|need|needs|has|have|got|required|supposed|expected|"
        r"obliged|must)\s+to\b|\bmust\b",
        "subject_obligation": r"\b(i|we)\b(\s+\w+){0,2}\s+(had|needed|have|need|must|"
        r"were required|was required|was supposed|were supposed|was expected|were expected)\b",
        "goal_noun": rf"\b{_GOAL_NOUN}\b",
        "owned_goal": rf"\b(my|our|the|their|his|her)\s+(\w+\s+)?{_GOAL_NOUN}\b",
        "was_to": r"\b(was|is|were|are)\s+to\s+\w+",
        "assigned": r"\b(asked|tasked|assigned|charged|expected|required|appointed|hired|"
        r"mandated|instructed|told|given|handed|put in charge|brought in)\b",
        "to_me": r"\b(me|us)\s+to\b|\bto\s+(me|us)\b|\b(on|for)\s+(me|us)\b",
        "owner": r"\b(responsib\w*|in charge|accountable|owner|ownership|owned|my call|"
        r"up to me|fell to)\b",
        "purpose": r"\b(in order to|so that|so as to|make sure|ensure|ensuring)\b",
        "want_to": r"\b(wanted|want|aimed|hoped|determined|set out|trying|tried|meant|"
        r"going) to\b",
        "deadline": r"\b(by|before|within)\s+(the\s+)?(end|monday|tuesday|wednesday|thursday|"
        r"friday|saturday|sunday|christmas|deadline|launch|morning|evening|night|next|\d)",
        # a span of time to get something done in: "in 2 weeks", "till 7 a.m.", "due"
        "time_box": rf"\b(in|within|over)\s+(a|an|one|\d+|{_SMALL_NUMBER})\s*-?\s*"
        r"(wks?|weeks?|days?|hrs?|hours?|mins?|minutes?|months?|shifts?)\b"
        r"|\b(until|till|til)\s+(\d|the\s+end|midnight|noon|morning|close)|\bdue\b",
        # time given to do something: "I had two weeks to get through the training"
        "time_given": rf"\bhad\s+(only\s+|just\s+)?(a|an|one|\d+|{_SMALL_NUMBER}|a few|a couple"
        r" of)\s+(minutes?|hours?|days?|weeks?|months?|shifts?)\s+to\b",
        # a scope put in someone's charge: "I ran the events budget", "Led the move"
        "charge_of_scope": r"\b(ran|run|running|led|lead|leading|owned|own|held|hold|headed|"
        r"managed|oversaw|coordinated|mentored|looked after)\s+(the\s+|a\s+|an\s+|our\s+|"
        r"my\s+|their\s+)?([\w£€$,.'-]+\s+){0,3}(budget|shift|team|project|programme|program|"
        r"camp|department|account|event|offsite|move|migration|launch|rollout|cutover|"
        r"responsibility|office|site|store|branch|ward|unit|night|weekend|graduate|apprentice|"
        r"trainee|intern|newcomer)s?\b",
        # a goal or target being set: "I was set a target of", "set a goal of"
        "goal_set": rf"\b(set|sets|gave|given|handed|agreed|had)\s+(me\s+|us\s+)?(a|an|the|"
        rf"our|my)\s+(\w+\s+)?{_GOAL_NOUN}\b",
        # someone's request in reported speech: "my boss was like, can you sort that out"
        "request_to_you": r"\b(can|could|would|will)\s+you\b|\byou\s+(gotta|got to|have to|"
        r"need to|must|should)\b",
        # assignment verbs beyond the common ones
        "requested": r"\b(requested|commissioned|entrusted|delegated|nominated|volunteered|"
        r"put forward|picked|chosen|selected|invited)\b",
        # a target value to meet or a bound to stay within
        "target_value": r"\b(zero|no more than|whatever it takes|longer than|shorter than|"
        r"faster than|at all costs|without (any|losing|new|extra|more))\b",
        # The guide's goal shapes named by the label audit (docs/answers.md, "Resolutions"),
        # written from the guide's wording, not from any writer's phrases:
        # a deadline of one's own work: "report due Friday", "a Monday deadline",
        # "by 5 p.m.", "launch date fixed"
        "own_deadline": r"\bdue\s+(on\s+|by\s+|in\s+|at\s+)?(the\s+|a\s+|this\s+|next\s+)?"
        r"(\d|same|end|monday|tuesday|wednesday|thursday|friday|saturday|sunday|tomorrow|"
        r"today|week|month|midnight|noon)|\bdeadlines?\b|\bby\s+(\d{1,2}\s*(:\d\d|a\.?m|p\.?m|"
        r"o'clock)|noon|midnight|close of|end of|eod|cob|the end)|\b(date|deadline)\s+(was\s+|had been\s+)?(fixed|set|agreed)\b",
        # an impersonal need or a requirement: "procedures required amendment", "SQL was a
        # must", "a decision was required", "the new rule say we must"; not a person's
        # need ("the customer needed a refund"), which is the situation
        "requirement": r"(?<!the\s)(?<!all\s)\b(required|requires|require|mandatory|compulsory|obligatory)\b|"
        r"\b(was|is|were|are|'s)\s+a\s+must\b|\b(was|were|is|are)\s+(needed|necessary)\b|"
        r"\b(rule|rules|law|regulation|regulations|policy|procedure|standard|sla|contract)\b"
        r"[^.;]{0,30}\b(must|had to|have to|says?|said|required)\b",
        # time given to get something done: "with six weeks to open", "at two days' notice"
        "time_to_do": rf"\b(with|given|gave \w+|got|allowed|left)\s+(only\s+|just\s+)?"
        rf"(\d+|{_SMALL_NUMBER}|a|one|a few)\s*-?\s*(minutes?|hours?|days?|weeks?|months?)"
        rf"\s+to\s+(?!spare\b)[a-z]+\b|\b(\d+|{_SMALL_NUMBER}|a|one)\s*-?\s*(minutes?|hours?|days?|"
        r"weeks?|months?)('|’)?\s+notice\b",
        # a goal the speaker set themselves: "I decided to run a marathon", "we set out to
        # win back the account"; followed by a verb of achieving (not "decided to call")
        "self_set_goal": r"\b(i|we)[\s,]+(\w+[\s,]+)?(decided|resolved|set out|wanted|aimed|vowed|"
        r"committed|made up my mind|was determined|were determined)\s+to\s+"
        rf"({'|'.join(sorted(_word_list('goal_verbs')))})\b",
        # someone wanting the speaker's work done a certain way: "the client want the website
        # ready in one week", "Finance wanted it under 3"
        "want_for_work": r"\b(wanted|want|wants|needed|needs|expected|expects|demanded|asked "
        r"for)\s+(it|this|that|them|everything|(the|a|an|our|my|their)\s+(\w+\s+){0,2}?\w+)"
        r"\s+(done|ready|finished|fixed|live|delivered|completed|signed|sorted|in place|"
        r"under|below|by|before|within|back)\b",
        # an explicit responsibility: "I was the one who manage the money", "the only one
        # left handling payroll", "assumed responsibility for"
        # Ownership told as an idiom: "the formal was my lookout", "it was mine to sort",
        # "it fell on me", "on my shoulders", "somebody had to … that somebody was me"
        "onus": r"\b(my|our)\s+(problem|headache|lookout|call|decision|baby|responsibility|"
        r"patch|department|bit|piece|end of it|part)\b|\b(mine|ours)\s+(to|now|alone)\b|"
        r"\b(was|were|is|became)\s+(mine|ours)\b|\b(fell|falls|came|landed|rested|sat|was|"
        r"were)\s+(on|upon)\s+(me|us|my|our)\b|\bdown\s+to\s+(me|us)\b|\b(somebody|someone|"
        r"the person)\b[^.;]{0,80}\b(was|were)\s+(me|us)\b",
        # A promise or commitment of the speaker's: "I'd promised them we'd get him there"
        "promise": r"\b(promised|promise|pledged|vowed|swore|committed|guaranteed|signed up|"
        r"gave (my|our|them my|him my|her my) word|put my name to)\b",
        # A resolution to achieve something, however it is told: "I decided I'd run the half
        # marathon", "made my mind up to", "set my heart on"; the classifier weighs it
        # against "decided to call", a step
        "resolve": r"\b(decided|made up my mind|made my mind up|set my heart on|set my sights "
        r"on|put it in my head|promised myself|told myself|gave myself|set myself|made it my)\b",
        # A rule, an order or a contract stated as such: "The rule was you locked off…",
        # "Dad's standing orders were…", "as per rules"
        "rule_stated": r"\b(rule|rules|law|policy|protocol|procedure|orders|order|instruction|"
        r"instructions|directive|contract|licence|license|sla|mandate|brief)\s+(was|were|is|"
        r"are|said|says|required|requires|obliged|obliges|stated|imposed)\b|\b(according to|as "
        r"per|under)\s+(the\s+|our\s+)?(rules?|law|policy|contract|terms|sla|licence)\b",
        # Someone wanting a change of the speaker's work: "wanted misloads down by half"
        "want_change": r"\b(wanted|wants|want|expected|expects|needed|asked for)\s+(\w+\s+){1,4}?"
        r"(down|up|halved|doubled|cut|reduced|cleared|open|running|perfect|on time|out|gone|"
        r"fixed|sorted)\b",
        "the_one_who": r"\b(i|we)\s+(was|were|am|are)\s+the\s+(only\s+)?(one|ones|person|"
        r"people)(\s+\w+)?\s+(who|that|to|left|responsible|in charge)\b|\b(assumed|took on|"
        r"accepted|shouldered|took|take|given)\s+(full\s+|sole\s+|the\s+)?(responsibility|"
        r"ownership)\b",
    }.items()
}
#: A note's label ("Goal:", "My role –"), as bullet-point answers lead their lines.
_NOTE_LABEL = re.compile(r"^\s*([a-z][a-z'/ ]{0,25}?)\s*[:–—]\s*\S")
_GOAL_LABEL = re.compile(rf"\b{_GOAL_NOUN}\b|\b(my part|me)\b")
_FINITE_BE_HAVE = frozenset({"is", "was", "are", "were", "am", "'s", "has", "have", "had"})
#: Verbs that name something to achieve, in their base form: a note line that starts with
#: one and has no subject ("Close books by day 5", "get setup under 30 min") states a goal
#: in the imperative. Verbs whose past is the same word ("cut", "set") are left out: there
#: the line is as likely a step told in the past.
_GOAL_VERBS = _word_list("goal_verbs") - _IRREGULAR_PAST
#: Goal shapes of a line's content (after any note label), for the task classifier only:
#: a subjectless obligation ("needed to stop the bleeding"), a "to"-infinitive ("My task:
#: to reduce the stops"), an impersonal need ("Was necessary to keep the guests calm") and
#: a limit to stay within ("under 10 pages/week", "max 10 min downtime").
_GOAL_SHAPES = {
    name: re.compile(pattern)
    for name, pattern in {
        "bare_obligation": r"^(had|needed|need|needs|have|has|must|got|was asked|were asked|"
        r"asked|required|supposed|expected) to\b",
        "to_verb": r"^to\s+[a-z]",
        "impersonal_need": r"\b(was|is|it's|were|are)\s+(necessary|needed|required|"
        r"essential|vital|important|crucial|critical|urgent|compulsory)\s+(to|that)\b",
        "limit": r"\b(under|below|less than|fewer than|at least|at most|no more than|max|"
        r"maximum|min|minimum|within|<|>)\s*\d",
    }.items()
}

_TIME_ANCHOR = re.compile(
    r"\b(last|this past|previous|past) (year|month|week|spring|summer|autumn|fall|winter|"
    r"quarter|christmas|season|time)\b(?!'s)"
    r"|\b(a|one|two|three|four|five|six|few|couple of|several|many|\d+) (years?|months?|"
    r"weeks?|days?) (ago|back|earlier|before)\b"
    r"|\b(19|20)\d\d\b"
    r"|\bin (january|february|march|april|may|june|july|august|september|october|november|"
    r"december)\b"
    r"|\b(one|on a|one busy|one particular) (day|night|time|morning|evening|afternoon|"
    r"week|weekend|shift|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|(?<!at )\bonce\b(?! (a|every|or|more|again))|\bat the time\b|\bback then\b|\bat one point\b|\bat some point\b"
    r"|\bearly in my\b|\bthere was (a|an|one|this)\b|\bthere were\b"
    r"|\bwhen (i|we) (was|were|worked|joined|started|took|became|first|arrived|moved|had|"
    r"led|ran|managed|inherited|begin|began|start|work|join|move|arrive)\b"
    r"|\bwhile (i|we) (was|were|worked|working)\b|\bwhile working\b"
    r"|\bduring (my|the|a|an|our|one)\b"
    r"|\b(in|at|from|on|for) (my|our|a|an|the) (first|second|third|last|previous|current|old|"
    r"former|earlier|new|old) (job|role|company|team|position|employer|workplace|job|"
    r"company|place|school|hospital|ward|office|shop|store|startup|firm|agency|bank|"
    r"project|year|month|week|day|weeks|months|years|days)\b"
    r"|\b(in|at) my (job|role|work|time|position|placement|internship) (as|at|in|with|on)\b"
    r"|\b(i|we) (was|were) (working|employed|a|an|the) \w+"
    r"|\b(i|we) (worked|work) (as|at|in|for)\b"
    r"|\b(at|in|for|with) (a|an|one of the) (\w+ ){0,3}(company|startup|bank|hospital|clinic|"
    r"school|shop|store|restaurant|hotel|factory|warehouse|council|charity|agency|firm|"
    r"practice|university|insurer|retailer|airline|department|ward|lab|call centre|"
    r"distribution centre|depot|site|office|non-profit|newspaper|consultancy|team)\b"
    r"|\bin my (team|ward|department|company|shop|store|office|school|unit|clinic|"
    r"restaurant|branch|lab)\b"
    r"|^\s*(as|in my role as|in my job as|in my position as) (a|an|the|our|my)\b"
    r"|^\s*(while )?working (as|at|for|in)\b"
    r"|\b(my|our) (last|previous|former|old|current|first|second) (job|role|company|team|"
    r"employer|manager|boss|position|workplace)\b"
)
_CONTEXT_STATE = re.compile(
    r"\b(was|were|wasn't|weren't|had|hadn't|kept|started|began|seemed|became|got|went|"
    r"is|are|isn't|aren't|has|have|keep|start|become|not working|not happy)\b"
)
_PROBLEM_WORDS = re.compile(
    r"\b(problem|problems|issue|issues|complain|complained|complaint|complaints|backlog|"
    r"outage|crash|crashed|crashes|crashing|bug|bugs|error|errors|fault|failing|failed|"
    r"failure|failures|struggling|losing|lost|behind|late|slow|slower|delayed|delay|"
    r"delays|down|broken|unhappy|angry|upset|furious|frustrated|worried|stressed|scared|"
    r"conflict|crisis|shortage|short-staffed|overbooked|threatened|threatening|risk|"
    r"deadline|pressure|rising|falling|dropped|dropping|missing|missed|wrong|mistake|"
    r"waste|debt|cut|cuts|overran|timing out|timeouts|leak|difficult|tough|messy|"
    r"no one|nobody|never|too|only|without|couldn't|didn't|wasn't|weren't|couldn’t|"
    r"didn’t|wasn’t|weren’t|high|low|doubled|tripled|sick|emergency|accident|"
    r"confidential|unethical|dangerous|unsafe)\b"
)

_RESULT_CONNECTIVE = re.compile(
    r"\b(as a result|as a consequence|the result was|the result is|the results were|"
    r"the outcome|in the end|at the end of the day|end result|consequently|"
    r"thanks to (this|that|these|it|the)|which resulted in|this resulted in|"
    r"that resulted in|resulting in|which meant that|since then|ever since|to this day|"
    r"from then on|from that day|the upshot|since the (change|changes|fix|launch|release|"
    r"update|move|rollout|new \w+))\b"
)
_CHANGE_VERBS = (
    r"reduced|reduce|reduces|cut|cuts|increased|increase|increases|improved|improve|"
    r"improves|grew|grow|grows|rose|rise|rises|fell|fall|falls|dropped|drop|drops|"
    r"decreased|decrease|decreases|doubled|halved|tripled|saved|save|saves|recovered|"
    r"raised|boosted|lowered|shrank|declined|jumped|climbed|went up|went down|go up|"
    r"go down|goes up|goes down|came down|come down|become|became|reached|reach|"
    r"hit|exceeded|beat|surpassed|averaged|gained|generated|brought in|freed up|"
    r"shaved|removed|eliminated|got back|gained back|won back|prevented|avoided|recovered|retained|kept|signed|won|"
    r"closed|booked|finished|completed|delivered|passed|achieved|made"
)
_NUMBER = (
    r"(\d[\d,.]*\s*(%|percent|per cent|k|m|x)?|"
    r"(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|"
    r"thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|a hundred|a third|a quarter|"
    r"half|a half|a third|two thirds|zero|none|nearly all|all|every)\b)"
)
_RESULT_CHANGE = re.compile(
    rf"\b({_CHANGE_VERBS})\b[^.;]{{0,40}}?\b(by|to|from|about|around|nearly|almost|over|"
    rf"under|more than|less than|only|just|roughly|approximately)?\s*{_NUMBER}"
    rf"|\bfrom [^.;]{{0,30}}?\b{_NUMBER}[^.;]{{0,30}}?\bto\b[^.;]{{0,12}}?{_NUMBER}"
    rf"|\d[\d,.]*\s*(%|percent|per cent)\s+(more|less|fewer|higher|lower|faster|slower|"
    rf"increase|decrease|reduction|drop|rise|improvement|growth|better|cheaper)"
    rf"|\b(doubled|halved|tripled)\b"
)
_RESULT_STATE = re.compile(
    r"\b(was|were|got|went|has been|have been|is|are|be) (\w+ )?(fixed|solved|resolved|approved|"
    r"accepted|launched|shipped|delivered|completed|finished|signed|renewed|promoted|"
    r"released|restored|recovered|sorted|paid|adopted|implemented|rolled out|submitted|"
    r"published|funded|hired|back to normal|back up|live|successful|a success|happy|"
    r"pleased|satisfied|delighted|grateful|impressed|relieved|thrilled|on time|"
    r"ahead of|within budget|under budget|safe|reduced|cut|praised|recognised|"
    r"recognized|shortlisted|nominated|taken off|removed|closed|cleared|treated|"
    r"discharged|paid on time|used as|fine|ok|okay|great|better|faster|cheaper|filed|"
    r"done|sent out|working again|running again|back again|back in stock)\b"
    r"|\b(it|this|that|which|everything|the (fix|change|plan|approach|idea|test|pilot|"
    r"campaign|system|tool|process|new \w+)) (\w+ )?(worked|works|succeeded|paid off)\b"
    r"|(?<!had )(?<!who )(?<!have )\bstopped(?=\s*([.,;!]|$|\b(after|within|completely|"
    r"altogether|for good|and|since|there|overnight|immediately)\b))"
    r"|\b(disappeared|disappear|went away|worked (\w+ )?(well|fine)|work fine|"
    r"went (\w+ )?(well|smoothly|fine)|(it|this|that|things|everything) (\w+ )?worked out|"
    r"worked out (fine|well|ok|okay)|did the trick|"
    r"went live|goes live|turned around|never came back|"
    r"renewed|extended|re-signed|thanked|thank you|say thank|said thanks|"
    r"gave (us|me|him|her) (a|an|five|great|good|positive)|took my advice|"
    r"followed (my|the) advice|didn't go well|did not go well|didn't work|did not work|"
    r"wasn't enough|was not enough|lost the (deal|contract|client|account|bid|tender)|"
    r"won the (deal|contract|client|account|bid|tender|award)|"
    r"(no|any) (longer|more)\b(?! than)|never again|not once|"
    r"(didn't|did not|without) (lose|losing|miss|missing|have|having) (a single|any|one)|"
    r"without (anyone|anybody|a single|any) \w+ing\b|"
    r"zero (incidents|complaints|errors|defects|falls|outages|crashes|duplicate)|"
    r"nobody (died|left|complained)|no one (left|complained|died)|"
    r"none of (them|the \w+) (needed|had|was|were|failed|complained|left)|"
    r"no (\w+ )?(patient|customer|client|one|staff|incident|complaint|error|fall|outage|"
    r"deadline|order|call|flight|shipment)s? "
    r"(was|were|had|got|died|left|complained|needed|reported|missed|happened)|"
    r"had no (\w+ )?(incidents|complaints|falls|errors|issues|problems|questions|outages|"
    r"delays|changes|duplicate|reaction|near-misses|bleeding|corridor)|"
    r"on time|on schedule|as planned|on the planned|as scheduled|as promised|"
    r"ahead of (schedule|time|plan|the deadline)|before the deadline|under budget|"
    r"within budget|on budget|positive (review|reviews|feedback)|five stars|5 stars|"
    r"good review|nice review|happy with|pleased with|satisfied with|recommended us|"
    r"referred|now (we|they|the|it|our|every|all|he|she|\d)|\bnow \w+s\b|"
    r"is now|are now|to this day|since then|anymore|any more|back to normal|"
    r"normally again|was able to|were able to|made it (home|to|on)|saved (\w+ )?(a lot|"
    r"lots|hours|days|weeks|time|money|the)|(everyone|everybody|all of them|the team|"
    r"staff|clients|customers|users) (used|uses|use|adopted|started using|"
    r"now use)|(he|she|they) did(?=\s*([.,;]|$))|was sorted|got sorted|"
    r"(got|received|had|was|were)\b[^.;]{0,30}\bwithin (the|an|a|one|two|three|\d+) "
    r"(hour|day|week|minutes|hours|days)\b|"
    r"said (it|that|this) was (fine|ok|okay|great|good|helpful|useful|brilliant)|"
    r"(was|were) \d[\d,.]*\s*(%|percent) (over|under|above|below|higher|lower|more|less))"
)
_RESULT_LEAD = re.compile(
    r"^\s*(after|within|over) (that|this|these|the next|the following|a few|a couple|one|"
    r"two|three|four|five|six|seven|eight|nine|ten|twelve|\d+|about|around|just|only|"
    r"less than|under|the first|the change|the release|the launch|the update)\b"
    r"|^\s*after,|^\s*by \d"
    r"|^\s*(afterwards|eventually|ultimately|now|today|since then|overall|"
    r"by the end|at the end|in total|finally)\b"
)
_RESULT_LATER = re.compile(
    r"\b(and|so|then),? after (this|that),? (the|it|we|they|he|she|everyone|"
    r"our|his|her|their|nobody|no one)\b|\bafter (three|two|four|five|six|a few|\d+) "
    r"(days|weeks|months)\b"
)
_OTHER_SUBJECT_REACTION = re.compile(
    r"(^|[,;:]\s*|\b(and|so|but|then|because|when|until|which|who|that)\s+)"
    r"(he|she|they|both|everyone|everybody|(the|both|all|our|their|my|his|her|a|two|three) "
    r"(\w+ ){0,2}(client|customer|patient|guest|manager|director|team|board|company|family|"
    r"user|candidate|auditor|regulator|hospital|school|council|owner|boss|ceo|cfo|doctor|"
    r"teacher|student|partner|agency|bank|supplier|engineer|employee|staff|colleague|lead|"
    r"mother|father|parent|people|head|chef|cook|worker|tenant|resident|buyer|investor|"
    r"director|reviewer|judge|panel|committee|marketing manager)s?)\b"
    r"(?:(?!\b(?:i|we)\b)[^.;]){0,30}?\b(agreed|agree|accepted|accept|approved|signed|sign|"
    r"renewed|thanked|thank|stayed|stay|kept|chose|adopted|loved|liked|praised|promoted|"
    r"wrote|sent|gave|called back|came back|come back|returned|bought|ordered|"
    r"decided to keep|asked for me|extended|recommended|was happy|were happy|"
    r"was pleased|were pleased|was satisfied|were satisfied|was grateful|were grateful|"
    r"was impressed|were impressed|said thank|said thanks|cried|hugged|"
    r"got better|went home|was discharged|made it|started using|uses|use|passed|"
    r"got (his|her|their) (job|place|medicine|passport|money|refund|results|grade)|"
    r"get (his|her|their)|took|used|mentioned|put me forward|nominated|invited|hired)\b"
)
_NEGATIVE_REACTION = re.compile(
    r"\b(not|wasn't|weren't|un)\s?(happy|pleased|satisfied|convinced)|\b(angry|upset|"
    r"furious|complained|refused|disagreed|pushed back|objected|resisted)\b"
)
_LESSON_ONLY = re.compile(r"^\s*(i|we) (learned|learnt|learn|realised|realized|now know)\b")
#: A lesson told anywhere in a sentence ("what I took from it", "next time I ...").
_LESSON = re.compile(
    r"\b(i|we) (have )?(learned|learnt|realised|realized)\b|\blessons?\b|\btaught (me|us)\b"
    r"|\bnext time\b|\btakeaway\b|\bin hindsight\b|\blooking back\b"
    r"|\bdo (it |things )?differently\b|\bsince then,? (i|we) (always|never|check|make)\b"
    r"|\bnow (i|we) (always|never)\b|\bfrom (this|that|it),? (i|we) learn"
)

#: Filler words and phrases (delivery noise), counted case-insensitively; some only in
#: the contexts of :data:`_FILLER_CONTEXT` ("like" in "it was, like, hard", not "like India").
FILLER_PHRASES: tuple[str, ...] = tuple(_WORD_LISTS["filler_phrases"])
#: Hedging words and phrases (the speaker weakening their own claim).
HEDGE_PHRASES: tuple[str, ...] = tuple(_WORD_LISTS["hedge_phrases"])
_FILLER_PATTERNS = {
    phrase: re.compile(
        r"(?<![\w'’])" + re.escape(phrase).replace(r"\ ", r"\s+") + r"(?![\w'’])",
        re.IGNORECASE,
    )
    for phrase in dict.fromkeys((*FILLER_PHRASES, *HEDGE_PHRASES))
}
#: Words after which "kind of" / "sort of" is a noun phrase ("a kind of valve"), not a hedge.
_KIND_OF_DETERMINERS = _word_list("kind_of_determiners")


def _filler_in_context(phrase: str, before: str, after: str) -> bool:
    """Whether a match of a context-dependent filler is used as one.

    "like" is a filler when a comma follows it ("it was, like, hard") or a hesitation
    does ("and, like um"); not as a verb or preposition ("like India", "I'd like to").
    "you know" and "I mean" are fillers when set off by punctuation or at the end
    ("you know, the", "I mean, it"), not as verbs ("you know the answer", "what I mean
    is"). "kind of" and "sort of" are not hedges after a determiner ("a kind of valve").
    """
    following = after.lstrip()
    if phrase == "like":
        return following.startswith(",") or bool(re.match(r"(um|uh|er|erm)\b", following, re.I))
    if phrase in {"you know", "i mean"}:
        return not following or following[0] in ",.;!?…"
    if phrase in {"kind of", "sort of"}:
        previous = re.findall(r"[\w'’]+", before[-20:].lower())
        return not previous or previous[-1] not in _KIND_OF_DETERMINERS
    return True


_CONTEXT_FILLERS = frozenset({"like", "you know", "i mean", "kind of", "sort of"})

_STOPWORDS = _word_list("stopwords")

#: Words that signal each competency kind, for relevance (stems: see `_stem`).
COMPETENCY_LEXICON: dict[str, frozenset[str]] = {
    kind: frozenset(words) for kind, words in _WORD_LISTS["competency_lexicon"].items()
}
_KIND_ALIASES: dict[str, tuple[str, ...]] = {
    kind: tuple(words) for kind, words in _WORD_LISTS["competency_kind_aliases"].items()
}

_TOOL_WORDS = _word_list("tool_words")
_NUMBER_WORDS = _word_list("number_words")

#: A word: letters or digits, with inner apostrophes and hyphens; "1,300" and "3.5" are one.
_WORD = re.compile(r"[^\W_](?:[\w'’\-]|(?<=\d)[.,](?=\d))*")
_ABBREVIATIONS = (
    "e.g.",
    "i.e.",
    "etc.",
    "vs.",
    "mr.",
    "mrs.",
    "ms.",
    "dr.",
    "prof.",
    "st.",
    "no.",
    "approx.",
    "inc.",
    "ltd.",
    "co.",
    "jr.",
    "sr.",
    "fig.",
    "dept.",
    "a.m.",
    "p.m.",
)
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])|\n+")


# ---------------------------------------------------------------------------------------
# Validation and text primitives
# ---------------------------------------------------------------------------------------


def _validate_text(value: object, name: str, *, required: bool) -> str:
    if not isinstance(value, str):
        raise AnswerError(f"{name} must be text (str), not {type(value).__name__}.")
    if "\x00" in value:
        raise AnswerError(f"{name} looks like binary data, not text (it contains NUL bytes).")
    if len(value) > MAX_CHARACTERS:
        raise AnswerError(
            f"{name} is too long to analyse: {len(value)} characters, at most {MAX_CHARACTERS}."
        )
    controls = sum(1 for ch in value if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r")
    if controls > max(2, len(value) // 100):
        raise AnswerError(f"{name} looks like binary data, not text (control characters).")
    text = value.strip()
    if required and not text:
        raise AnswerError(f"{name} is empty: type or paste the answer you would give.")
    if required and not any(ch.isalpha() for word in _WORD.findall(text) for ch in word):
        raise AnswerError(f"{name} contains no words: type or paste the answer you would give.")
    return text


def _refuse_other_language(text: str) -> None:
    """Refuse an answer written in another language rather than score it as off-topic.

    The cues, word lists and model read English; a German answer would otherwise come back
    as "no story, off the question" with a low score, which is wrong, not just unhelpful.
    An answer is refused only when the common words of one other language clearly
    outnumber English ones, so terse notes, text-speak and non-native English pass.
    """
    words = _words(text)
    english = sum(word in _ENGLISH_MARKERS for word in words)
    language, hits = max(
        (
            (name, sum(word in markers for word in words))
            for name, markers in _OTHER_LANGUAGE_MARKERS.items()
        ),
        key=lambda pair: pair[1],
    )
    if hits >= 3 and hits > 2 * english:
        raise AnswerError(
            f"The answer seems to be in {language}. Practice feedback reads answers in English"
            " only for now: try it in English, as you might in an English-speaking interview."
        )


def split_sentences(text: str) -> list[str]:
    """Split an answer into sentences (newlines and bullet points end a sentence too).

    Parameters
    ----------
    text : str
        The answer.

    Returns
    -------
    list of str
        Non-empty, stripped sentences in order; list markers ("-", "*", "1.") removed.
    """
    protected = text
    for abbreviation in _ABBREVIATIONS:
        pattern = re.compile(r"(?<![\w.])" + re.escape(abbreviation), re.IGNORECASE)
        protected = pattern.sub(lambda m: m.group(0).replace(".", "\x01"), protected)
    sentences = []
    for piece in _SENTENCE_END.split(protected):
        piece = re.sub(r"^\s*(?:[-*•·]|\d{1,2}[.)])\s+", "", piece.replace("\x01", "."))
        piece = " ".join(piece.split())
        if re.search(r"[^\W\d_]", piece):
            sentences.append(piece)
    return sentences


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'") for w in _WORD.findall(text)]


def _normalise(sentence: str) -> str:
    return " ".join(sentence.lower().replace("’", "'").replace("‘", "'").split())


def _is_past_verb(word: str) -> bool:
    if word in _IRREGULAR_PAST:
        return True
    return len(word) > 4 and word.endswith("ed") and word not in _ED_ADJECTIVES


# ---------------------------------------------------------------------------------------
# STAR cues, sentence by sentence
# ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Clause:
    """An I/we subject with the verb that follows it."""

    subject: str
    verb: str
    past: bool
    modal: bool


def _subject_verbs(words: Sequence[str]) -> list[_Clause]:
    clauses = []
    for index, word in enumerate(words):
        if word not in _SUBJECTS and word not in {"i'm", "we're", "i've", "we've"}:
            continue
        if word in {"i'm", "we're", "i've", "we've"}:
            clauses.append(_Clause(word[0:1] if word[0] == "i" else "we", "be", False, False))
            continue
        previous = words[index - 1] if index else ""
        modal = previous in _MODAL_BEFORE_VERB
        position = index + 1
        while position < len(words) and words[position] in _ADVERBS:
            position += 1
        if position >= len(words):
            continue
        verb = words[position]
        if verb in {"would", "will", "could", "should", "might", "can", "may", "'d", "'ll"}:
            modal = True
        clauses.append(_Clause(word, verb, _is_past_verb(verb), modal))
    return clauses


def _is_action_clause(clause: _Clause, *, narrative: bool) -> bool:
    if clause.modal:
        return False
    if clause.past:
        return clause.verb not in _NON_ACTION_VERBS
    if clause.verb in _NON_ACTION_VERBS and clause.verb not in _PRESENT_ACTION_OK:
        return False
    if clause.verb in {"be", "'m", "'ve", "'re"} or clause.verb.endswith("ing"):
        return False
    # A present-tense step is only a step in a told story, not a statement of habit.
    return narrative and clause.verb.isalpha() and len(clause.verb) > 1


_CONDITIONAL = re.compile(r"\b(if|unless|whenever|in case)\b[^,.;]*")
_SUBJECT_MODAL = re.compile(
    r"\b(i|we|you)( \w+ly| also| then| first| just| probably| still)? "
    r"(would|will|could|should|might|'d|'ll)\b(?! have)|\b(i'd|we'd|i'll|we'll|you'd)\b(?! have)"
)
_INDIRECT_IF = re.compile(
    r"\b(ask|asked|asking|wondered|wonder|check|checked|checking|see|saw|know|knew|tell|"
    r"find out|found out|test|tested|confirm|confirmed)\b[^,.;]{0,30}\bif\b"
)
#: Signs that a present-tense answer narrates one event rather than a habit.
_PRESENT_STORY = re.compile(
    r"\b(then|now|after (this|that)|after,|the next (day|week|morning)|next day|"
    r"one (day|customer|patient|client|time|employee|colleague|worker|guest|user)|"
    r"a (customer|patient|client|colleague|guest|user|worker|new colleague|new worker)|"
    r"after \w+ (days|weeks|months)|since (three|two|\d+) days)\b"
    r"|\bafter,|\b(he|she|they) (?!(is|are|was|were|has|have|do|does|feel|think|like|want)\b)\w+\b"
)


#: Words before a past form that make it not a told event ("would have", "to be done").
_NOT_TOLD_BEFORE = _word_list("not_told_before")
#: Verbs that report an outcome when I/we is their subject.
_OUTCOME_VERBS = _word_list("outcome_verbs")
#: Verbs of finding out: a sentence with only these still describes the situation.
_DISCOVERY_VERBS = _word_list("discovery_verbs")
_SUFFIXES = (
    "ations",
    "ation",
    "ments",
    "ment",
    "ings",
    "ing",
    "ies",
    "ied",
    "ers",
    "er",
    "ed",
    "es",
    "ly",
    "s",
)


def _unmodal_past_verbs(low: str) -> int:
    """Past-tense verbs outside conditional clauses and not governed by a modal."""
    words = _words(_CONDITIONAL.sub(" ", low))
    count = 0
    for index, word in enumerate(words):
        if not (word in {"was", "were"} or _is_past_verb(word)):
            continue
        before = set(words[max(0, index - 3) : index])
        if before & _NOT_TOLD_BEFORE:
            continue
        count += 1
    return count


def _is_hypothetical(low: str) -> bool:
    """A sentence that imagines rather than tells ("if I had ...", "I would ...")."""
    conditional = any(
        not _INDIRECT_IF.search(low[: m.start() + 2]) for m in _CONDITIONAL.finditer(low)
    )
    if not (conditional or _SUBJECT_MODAL.search(low)):
        return False
    return _unmodal_past_verbs(low) == 0


@dataclass(frozen=True)
class _SentenceCues:
    text: str
    situation: bool
    task: bool
    action: bool
    result: bool
    strong_result: bool
    i_actions: int
    we_actions: int


def _result_cue(low: str, actions: Sequence[_Clause]) -> tuple[bool, bool]:
    """(any result cue, strong cue): strong cues stand anywhere in the answer."""
    strong = bool(_RESULT_CONNECTIVE.search(low)) or bool(_RESULT_CHANGE.search(low))
    weak = (
        bool(_RESULT_STATE.search(low))
        or bool(_OTHER_SUBJECT_REACTION.search(low))
        or (bool(_RESULT_LEAD.search(low)) and (not actions or bool(re.search(r"\d", low))))
        or bool(_RESULT_LATER.search(low))
    )
    return strong or weak, strong


def _sentence_cues(
    sentence: str, index: int, *, narrative: bool, before_first_action: bool
) -> _SentenceCues:
    low = _normalise(sentence)
    if _is_hypothetical(low) or not narrative:
        # An imagined or habitual answer tells no story: no STAR part, whatever its words.
        task = narrative and any(p.search(low) for p in _TASK_PATTERNS)
        return _SentenceCues(sentence, False, task, False, False, False, 0, 0)
    words = _words(sentence)
    habitual = bool(_HABITUAL.search(low))
    clauses = _subject_verbs(words)
    actions = [c for c in clauses if _is_action_clause(c, narrative=narrative)]
    if habitual:
        actions = [c for c in actions if c.past]
    leading_past = (
        bool(words)
        and _is_past_verb(words[0])
        and words[0] not in {"asked", "tasked", "let", "set", "put", "cut", "read", "hit"}
    )
    action = bool(actions) or leading_past
    if action and all(c.verb in _OUTCOME_VERBS for c in actions) and not leading_past:
        # "we recovered 40,000 euros", "we kept 20 of them": an outcome, not a step.
        action = not _result_cue(low, actions)[0]
    lesson = bool(_LESSON_ONLY.search(low))

    task = any(p.search(low) for p in _TASK_PATTERNS)

    anchor = bool(_TIME_ANCHOR.search(low))
    discovery_only = all(c.verb in _DISCOVERY_VERBS for c in actions)
    # Circumstances told before the speaker's first step in the sentence:
    # "Our Wi-Fi kept dropping in the warehouse, so I mapped the dead zones".
    lead_in = re.split(r"\b(?:i|we)\b", low, maxsplit=1)[0] if actions else low
    context = (
        (not actions or discovery_only or len(lead_in.split()) >= 4)
        and bool(_CONTEXT_STATE.search(lead_in) or _unmodal_past_verbs(lead_in))
        and bool(_PROBLEM_WORDS.search(lead_in))
    )
    opening = (
        index == 0
        and not actions
        and not leading_past  # "Fixed it." opens with a step, not with the scene
        and not task
        and bool(_CONTEXT_STATE.search(low) or re.search(r"\b(\w{2,}ed|had)\b", low))
    )
    situation = anchor or context or opening

    after_action = not before_first_action or action
    any_result, strong_result = _result_cue(low, actions)
    result = any_result and not lesson and (after_action or bool(_RESULT_CONNECTIVE.search(low)))
    if result and after_action and situation and not (anchor or opening):
        situation = False  # a reached state, told after the steps, is an outcome
    return _SentenceCues(
        text=sentence,
        situation=situation,
        task=task,
        action=action,
        result=result,
        strong_result=strong_result,
        i_actions=sum(1 for c in actions if c.subject == "i") if action else 0,
        we_actions=sum(1 for c in actions if c.subject == "we") if action else 0,
    )


def _is_narrative(sentences: Sequence[str]) -> bool:
    """Whether the answer tells a particular story rather than habits or intentions.

    It does if a sentence that is not hypothetical has an anchor in time or place, or two
    past-tense verbs are told outright; or, in the present tense, if it has two steps
    told with I/we, no habitual or hypothetical sentence, and a sign of one event.
    """
    lows = [_normalise(s) for s in sentences]
    told = [low for low in lows if not _is_hypothetical(low)]
    if any(_TIME_ANCHOR.search(low) for low in told):
        return True
    past = sum(_unmodal_past_verbs(low) for low in told)
    if past >= 2:
        return True
    if len(told) < len(lows) or any(_HABITUAL.search(low) for low in told):
        return False
    steps = [
        clause
        for low in told
        for clause in _subject_verbs(_words(low))
        if _is_action_clause(clause, narrative=True)
    ]
    if past == 1 and all(clause.past for clause in steps):
        return True
    return bool(steps) and any(_PRESENT_STORY.search(low) for low in told)


def _rule_cues(sentences: Sequence[str], narrative: bool) -> list[_SentenceCues]:
    """The hand-written cues of every sentence, with the negative-reaction fix applied."""
    cues: list[_SentenceCues] = []
    seen_action = False
    for index, sentence in enumerate(sentences):
        cue = _sentence_cues(
            sentence, index, narrative=narrative, before_first_action=not seen_action
        )
        seen_action = seen_action or cue.action
        cues.append(cue)
    # A negative reaction ("the cooks were not happy") followed by more steps is part of
    # the story's middle, not its result.
    last_step = max((i for i, c in enumerate(cues) if c.action and not c.result), default=-1)
    cues = [
        c
        if not c.result
        or c.strong_result
        or i >= last_step
        or not _NEGATIVE_REACTION.search(_normalise(c.text))
        else dataclasses.replace(c, result=False, strong_result=False)
        for i, c in enumerate(cues)
    ]
    return cues


def _cue_names(cue: _SentenceCues) -> list[str]:
    return [part for part in (*STAR_PARTS, "strong_result") if getattr(cue, part)]


def task_frames(sentence: str) -> list[str]:
    """The task frames of one sentence, as ``frame:NAME`` features (see ``_TASK_FRAMES``).

    Besides the phrase frames: ``frame:label`` for a note's label ("Context: …"),
    ``frame:label_goal`` when the label names a goal or the speaker's part ("Goal: …",
    "My role: …"), and ``frame:verbless`` for a line with no finite verb ("Target from
    CFO: 5 days"), the shape in which bullet notes state what had to be done.
    """
    low = _normalise(sentence)
    names = [f"frame:{name}" for name, pattern in _TASK_FRAMES.items() if pattern.search(low)]
    label = _NOTE_LABEL.match(low)
    if label:
        names.append("frame:label")
        if _GOAL_LABEL.search(label.group(1)):
            names.append("frame:label_goal")
    if not any(_is_past_verb(w) or w in _FINITE_BE_HAVE for w in _words(sentence)):
        names.append("frame:verbless")
    names += _goal_shapes(low[label.end(1) :] if label else low)
    return names + _frame_families(names)


#: Families of task frames. A frame that one writer uses and the others rarely do ("can
#: you sort that out", "I was requested to") gets almost no weight when that writer is
#: held out; its family (an assignment, an obligation, a goal, a bound, ownership, an
#: imperative line), which every writer tells somehow, does.
_FRAME_FAMILIES = {
    "assignment": (
        "assigned",
        "requested",
        "to_me",
        "request_to_you",
        "goal_set",
        "want_for_work",
        "want_change",
    ),
    "obligation": (
        "obligation",
        "subject_obligation",
        "time_given",
        "time_to_do",
        "requirement",
        "shape_bare_obligation",
        "shape_impersonal_need",
        "rule_stated",
    ),
    "goal": (
        "goal_noun",
        "owned_goal",
        "was_to",
        "label_goal",
        "want_to",
        "purpose",
        "shape_to_verb",
        "self_set_goal",
        "promise",
        "resolve",
    ),
    "bound": ("deadline", "time_box", "target_value", "shape_limit", "own_deadline"),
    "ownership": ("owner", "charge_of_scope", "the_one_who", "onus"),
    "imperative": ("shape_bare_verb", "shape_imperative"),
}


def _frame_families(frames: Sequence[str]) -> list[str]:
    """``frame:family_NAME`` for each family with a frame present, and
    ``frame:families_2`` when two or more are (a goal told with its bound, an assignment
    with its obligation)."""
    present = {name.removeprefix("frame:") for name in frames}
    families = [
        f"frame:family_{f}" for f, members in _FRAME_FAMILIES.items() if present & set(members)
    ]
    return families + (["frame:families_2"] if len(families) >= 2 else [])


def _goal_shapes(content: str) -> list[str]:
    """``frame:shape_*`` features: how a line's content (its note label cut off) is
    shaped when it states a goal rather than tells a step (see ``_GOAL_SHAPES``), and
    ``frame:shape_bare_verb`` when it opens with a goal verb in its base form and no
    subject, an imperative goal line."""
    content = content.lstrip(" :–—-")
    names = [f"frame:shape_{n}" for n, pattern in _GOAL_SHAPES.items() if pattern.search(content)]
    words = _words(content)
    if words and words[0] in _GOAL_VERBS:
        names.append("frame:shape_bare_verb")
    if _looks_imperative(words):
        names.append("frame:shape_imperative")
    return names


#: Words that open an imperative's object: "own the cutover", "align both teams".
_OBJECT_OPENERS = frozenset(
    [
        "the",
        "a",
        "an",
        "all",
        "both",
        "every",
        "each",
        "it",
        "that",
        "this",
        "them",
        "these",
        "those",
        "our",
        "my",
        "their",
        "its",
        "his",
        "her",
        "everyone",
        "everybody",
        "everything",
    ]
)


def _looks_imperative(words: Sequence[str]) -> bool:
    """Whether a line opens like an imperative, whatever its verb: a first word that is
    not a function word, not a past form, an -ing form, an adverb or a plural, followed
    by its object's determiner, a pronoun or a number ("keep 8 patients safe", "own the
    cutover", "protect all customer data"). How notes state a goal to reach."""
    if len(words) < 2:
        return False
    verb, following = words[0], words[1]
    if not verb.isalpha() or len(verb) < 3 or verb in _STOPWORDS or _is_past_verb(verb):
        return False
    if verb.endswith(("ing", "ly", "ed")) or (verb.endswith("s") and not verb.endswith("ss")):
        return False
    return following in _OBJECT_OPENERS or following[:1].isdigit()


def _task_position(index: int, count: int) -> list[str]:
    """Where the sentence sits, for the task classifier only (``frame:pos_*``): a goal is
    usually stated early, after the scene is set. (The other parts get no position: with
    one, a model learns that the last sentence is a result, wrong for answers without.)"""
    if count < 3:
        return []
    if index == 0:
        return ["frame:pos_first"]
    if index == count - 1:
        return ["frame:pos_last"]
    return ["frame:pos_early"] if index <= 2 else ["frame:pos_middle"]


def star_features(sentences: Sequence[str]) -> list[list[str]]:
    """The features the STAR model reads, one list per sentence.

    Each sentence's words, word pairs and word endings
    (:func:`secondround.engines.star_model.sentence_shape_features`), the hand-written
    rule cues of the sentence and of its neighbours, whether a step was told before it,
    and whether the whole answer reads as a story. Training
    (``scripts/train_answer_model.py``) and analysis use this same function.

    Parameters
    ----------
    sentences : sequence of str
        The answer's sentences, as :func:`split_sentences` returns them.

    Returns
    -------
    list of list of str
        Feature names per sentence.
    """
    narrative = _is_narrative(sentences)
    return _features(sentences, narrative, _rule_cues(sentences, narrative))


def _features(
    sentences: Sequence[str], narrative: bool, cues: Sequence[_SentenceCues]
) -> list[list[str]]:
    count = len(sentences)
    story = "story:yes" if narrative else "story:no"
    features = []
    for index, (sentence, cue) in enumerate(zip(sentences, cues, strict=True)):
        low = _normalise(sentence)
        names = sentence_shape_features(_words(sentence))
        names += [story, *(f"rule:{name}" for name in _cue_names(cue))]
        names += task_frames(sentence)
        if index:
            names += [f"prev:{name}" for name in _cue_names(cues[index - 1])]
        if index + 1 < count:
            names += [f"next:{name}" for name in _cue_names(cues[index + 1])]
        names += _task_position(index, count)
        if any(c.action for c in cues[:index]):
            names.append("after_step")
        if _is_hypothetical(low):
            names.append("hypothetical")
        if _HABITUAL.search(low):
            names.append("habitual")
            if not _unmodal_past_verbs(low):
                # "I always look at problems…": a habit with no step told in the past,
                # which the guide never counts as an action, even from a writer who
                # narrates events in the present ("I make a list of every stop")
                names.append("habitual:no_past")
        if _TIME_ANCHOR.search(low):
            names.append("anchor")
        if _LESSON_ONLY.search(low) or _LESSON.search(low):
            names.append("lesson")
        features.append(names)
    return features


def _star(
    sentences: Sequence[str], narrative: bool, model: StarModel | None
) -> tuple[dict[str, StarPart], int, int]:
    """STAR parts by the learned model (or by the rules alone when ``model`` is None)."""
    cues = _rule_cues(sentences, narrative)
    if model is not None:
        labelled = model.label(_features(sentences, narrative, cues))
        cues = [
            dataclasses.replace(
                cue,
                situation="situation" in parts,
                task="task" in parts,
                action="action" in parts,
                result="result" in parts,
            )
            for cue, parts in zip(cues, labelled, strict=True)
        ]
    star = {
        part: StarPart(
            present=any(getattr(c, part) for c in cues),
            sentences=tuple(c.text for c in cues if getattr(c, part)),
        )
        for part in STAR_PARTS
    }
    i_steps = sum(c.i_actions for c in cues if c.action)
    we_steps = sum(c.we_actions for c in cues if c.action)
    return star, i_steps, we_steps


def star_parts(text: str, *, model: StarModel | None) -> dict[str, StarPart]:
    """The STAR parts of an answer, by a given model or by the hand-written rules alone.

    Parameters
    ----------
    text : str
        The answer.
    model : StarModel or None
        The sentence model to use; None for the rules alone (the detector before the
        model, kept as the benchmark's baseline).

    Returns
    -------
    dict of str to StarPart
        ``situation``, ``task``, ``action`` and ``result``.

    Raises
    ------
    AnswerError
        If ``text`` cannot be analysed (see :func:`analyze_answer`).
    """
    sentences = split_sentences(_validate_text(text, "The answer", required=True))
    return _star(sentences, _is_narrative(sentences), model)[0]


# ---------------------------------------------------------------------------------------
# Scores
# ---------------------------------------------------------------------------------------


def _saturate(value: float, full: float) -> float:
    return max(0.0, min(1.0, value / full))


@dataclass(frozen=True)
class _Specifics:
    """What makes an answer specific, kept apart so advice asks only for what is missing."""

    score: float
    numbers: int
    names: int


def _specificity(text: str, sentences: Sequence[str], result: StarPart, n_words: int) -> _Specifics:
    numbers = len(re.findall(r"\d[\d,.:]*", text))
    numbers += sum(1 for w in _words(text) if w in _NUMBER_WORDS)
    names: set[str] = set()
    for sentence in sentences:
        tokens = _WORD.findall(sentence)
        for position, token in enumerate(tokens):
            low = token.lower()
            if low in _TOOL_WORDS or (
                position > 0 and token[0].isupper() and token != "I" and not token.isdigit()
            ):
                names.add(low)
    per_hundred = 100.0 / max(n_words, 40)
    number_score = _saturate(numbers * per_hundred, 3.0)
    name_score = _saturate(len(names) * per_hundred, 3.0)
    if not result.present:
        outcome = 0.0
    elif any(
        re.search(r"\d", s) or _NUMBER_WORDS.intersection(_words(s)) or "zero" in _words(s)
        for s in result.sentences
    ):
        outcome = 1.0
    else:
        outcome = 0.5
    score = round(0.4 * number_score + 0.3 * name_score + 0.3 * outcome, 3)
    return _Specifics(score=score, numbers=numbers, names=len(names))


def _ownership(i_actions: int, we_actions: int, words: Sequence[str]) -> float:
    if i_actions + we_actions == 0:
        i_actions = sum(1 for w in words if w in {"i", "i'm", "i've", "i'd", "i'll"})
        we_actions = sum(1 for w in words if w in {"we", "we're", "we've", "we'd", "we'll"})
    return round((i_actions + 0.5) / (i_actions + we_actions + 1.0), 3)


def _stem(word: str) -> str:
    word = word.lower().strip("'’-")
    for suffix in _SUFFIXES:
        if len(word) - len(suffix) >= 4 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def _content_stems(text: str) -> set[str]:
    return {_stem(w) for w in _words(text) if w not in _STOPWORDS and len(w) > 2}


def _competency_kind(competency: str, description: str, question: str) -> str | None:
    words = _content_stems(competency)
    key = competency.strip().lower().replace("-", "_").replace(" ", "_")
    if key in COMPETENCY_LEXICON:
        return key
    best, best_hits = None, 0
    for kind, aliases in _KIND_ALIASES.items():
        hits = sum(1 for alias in aliases if _stem(alias) in words)
        if hits > best_hits:
            best, best_hits = kind, hits
    if best is not None:
        return best
    context = _content_stems(" ".join((competency, description, question)))
    for kind, lexicon in COMPETENCY_LEXICON.items():
        hits = len(context & {_stem(w) for w in lexicon})
        if hits > best_hits:
            best, best_hits = kind, hits
    return best


def _relevance(text: str, question: str, competency: str, description: str) -> float:
    if not (question or competency or description):
        return 0.5
    answer = _content_stems(text)
    parts: list[float] = []
    asked = _content_stems(" ".join((question, competency, description)))
    shared = len(answer & asked)
    if asked:
        # Answers reuse a few of the question's words, rarely all: two shared words is full.
        parts.append(_saturate(shared, min(2.0, len(asked))))
    kind = _competency_kind(competency, description, question)
    if kind is not None:
        hits = len(answer & {_stem(w) for w in COMPETENCY_LEXICON[kind]})
        parts.append(_saturate(hits, 4.0))
    if not parts:
        return 0.5
    return round(sum(parts) / len(parts), 3)


def _count_phrases(text: str, phrases: Iterable[str]) -> dict[str, int]:
    counts: Counter[str] = Counter()
    normalised = text.replace("’", "'")
    for phrase in phrases:
        found = sum(
            1
            for match in _FILLER_PATTERNS[phrase].finditer(normalised)
            if phrase not in _CONTEXT_FILLERS
            or _filler_in_context(phrase, normalised[: match.start()], normalised[match.end() :])
        )
        if found:
            counts[phrase] += found
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


# ---------------------------------------------------------------------------------------
# Suggestions
# ---------------------------------------------------------------------------------------

_PART_ADVICE = {
    "result": (
        "Finish with the result: what changed because of what you did, with a number if "
        "you have one (time saved, money, customers, errors)."
    ),
    "action": (
        "Say what you actually did, step by step, with 'I' as the subject: the two or "
        "three actions that made the difference."
    ),
    "situation": (
        "Open with one or two sentences of context: where you were, when, and what the "
        "problem was, so the listener can follow the story."
    ),
    "task": (
        'Say what you were responsible for or asked to achieve ("My job was to ..."), '
        "so your actions have a clear goal to be judged against."
    ),
}
_LESSON_ADVICE = "End with one sentence on what you learned or would do differently next time."
_FALLBACK_ADVICE = (
    f"Practise saying it aloud once with a timer; aim for one to two and a half minutes "
    f"({IDEAL_SECONDS[0]} to {IDEAL_SECONDS[1]} seconds).",
    "Prepare a second story for the same competency, so you can answer a follow-up question.",
    'Be ready for the follow-up "What would you do differently?" with one concrete change.',
)
#: Below this relevance (when measured) the answer is treated as off the question's topic.
OFF_TOPIC_RELEVANCE = 0.1


def spoken_duration(seconds: int) -> str:
    """How long an answer takes to say, as a person says it: "75 seconds", and in minutes
    beyond 90 seconds ("39 minutes")."""
    if seconds > 90:
        minutes = round(seconds / 60)
        return f"{minutes} minutes"
    return f"{seconds} second" if seconds == 1 else f"{seconds} seconds"


#: Beyond this many seconds spoken the score shrinks (see :func:`_length_factor`).
LONG_SECONDS = IDEAL_SECONDS[1]
#: Seconds spoken over :data:`LONG_SECONDS` at which the length factor reaches its floor.
_TOO_LONG_SPAN = 450
_LENGTH_FLOOR = 0.4


def _length_factor(speaking_seconds: int) -> float:
    """1 up to two and a half minutes, then down linearly to 0.4 at ten minutes: an answer
    far beyond three minutes loses the interviewer however good its parts are."""
    over = max(0, speaking_seconds - LONG_SECONDS)
    return max(_LENGTH_FLOOR, 1.0 - (1.0 - _LENGTH_FLOOR) * over / _TOO_LONG_SPAN)


def _specific_advice(specifics: _Specifics) -> str | None:
    """Ask for the kind of detail the answer lacks, never for one it already has."""
    if specifics.score >= 0.35:
        return None
    if not specifics.numbers and not specifics.names:
        return (
            "Be more specific: name the tools, people or places involved and give numbers "
            "(how many, how long, how much, before and after)."
        )
    if not specifics.numbers:
        return (
            "Add a number or two: how many, how long, how much, or before and after, so the "
            "size of the problem and of your result is clear."
        )
    if not specifics.names:
        return "Name the tools, systems, people or places involved, so the story is concrete."
    return None


def _suggestions(
    star: dict[str, StarPart],
    *,
    specifics: _Specifics,
    ownership: float,
    relevance: float,
    relevance_known: bool,
    word_count: int,
    speaking_seconds: int,
    fillers: dict[str, int],
    no_story: bool,
    has_lesson: bool,
) -> tuple[str, str, str]:
    advice: list[str] = []
    off_topic = relevance_known and relevance < OFF_TOPIC_RELEVANCE
    if off_topic:
        advice.append(
            "Answer the question that was asked: this story shares none of its key words. "
            "If it is the example you mean, say in one sentence how it shows the skill; if "
            "not, choose a story about the question's topic."
        )
    if no_story:
        advice.append(
            "Tell one real example instead of describing what you usually do or would do: "
            "'Last year, at ..., I ...'. Interviewers score past behaviour, not intentions."
        )
    for part in ("result", "action", "situation", "task"):
        if not star[part].present and not (no_story and part == "action"):
            advice.append(_PART_ADVICE[part])
    if ownership < 0.4 and (star["action"].present or word_count > 40):
        advice.append(
            "Make your own part clear: you say 'we' much more than 'I'. Keep the team in "
            "the story, but say which steps were yours."
        )
    specific = _specific_advice(specifics)
    if specific:
        advice.append(specific)
    if relevance_known and OFF_TOPIC_RELEVANCE <= relevance < 0.3:
        advice.append(
            "Tie the story to the question: use its key words and say in one sentence "
            "why this example shows the skill being asked about."
        )
    if speaking_seconds > IDEAL_SECONDS[1]:
        advice.append(
            f"Shorten it: at about {spoken_duration(speaking_seconds)} it runs long. Cut the "
            "background to two sentences and keep the actions and the result."
        )
    elif speaking_seconds < SHORT_SECONDS:
        advice.append(
            "Say more: a strong answer usually takes about a minute (130 to 250 words), "
            "enough for the context, your actions and the outcome."
        )
    filler_total = sum(fillers.values())
    if filler_total >= max(3, word_count // 40):
        top = ", ".join(f"'{w}'" for w in list(fillers)[:3])
        advice.append(
            f"Cut filler and hedging words ({top}): pause instead, and state what you did plainly."
        )
    extras = _FALLBACK_ADVICE if has_lesson else (_LESSON_ADVICE, *_FALLBACK_ADVICE)
    for extra in extras:
        if len(advice) >= 3:
            break
        advice.append(extra)
    return advice[0], advice[1], advice[2]


def _score(
    star: dict[str, StarPart],
    specificity: float,
    relevance: float,
    known: bool,
    speaking_seconds: int = 0,
) -> float:
    """0..1: half for the STAR parts told, a quarter each for specificity and relevance.

    When relevance was measured it also gates the whole: below :data:`RELEVANCE_GATE` the
    score shrinks linearly, to half at relevance 0, so a well-told story that does not
    answer the question cannot score as a decent answer. Length gates it too: beyond
    :data:`LONG_SECONDS` spoken it shrinks (see :func:`_length_factor`).
    """
    told = sum(1 for part in STAR_PARTS if star[part].present) / len(STAR_PARTS)
    base = 0.5 * told + 0.25 * specificity + 0.25 * relevance
    if known:
        base *= 0.5 + 0.5 * min(1.0, relevance / RELEVANCE_GATE)
    return round(base * _length_factor(speaking_seconds), 3)


# ---------------------------------------------------------------------------------------
# Public entry point
# ---------------------------------------------------------------------------------------


def analyze_answer(
    text: str,
    *,
    question: str = "",
    competency: str = "",
    competency_description: str = "",
    star_model: StarModel | None = None,
) -> AnswerAnalysis:
    """Analyse one practice answer to a behavioural interview question.

    Parameters
    ----------
    text : str
        The answer as typed or transcribed (any length up to :data:`MAX_CHARACTERS`).
    question : str, optional
        The question it answers; used for relevance only.
    competency : str, optional
        The competency assessed: one of :data:`COMPETENCY_KINDS` or a free name such as
        "Conflict resolution" (its kind is then guessed from its words).
    competency_description : str, optional
        The competency's description; used for relevance only.
    star_model : StarModel, optional
        The sentence model that finds the STAR parts; the shipped one
        (:func:`secondround.engines.star_model.load_model`) by default. The benchmark
        passes models trained without the writer it tests.

    Returns
    -------
    AnswerAnalysis
        STAR parts with their sentences, scores, length, filler words and three
        suggestions.

    Raises
    ------
    AnswerError
        If ``text`` is not a string, is empty or whitespace only, contains no words, looks
        like binary data or is longer than :data:`MAX_CHARACTERS`; or if ``question``,
        ``competency`` or ``competency_description`` is not a string.

    Notes
    -----
    Relevance is the mean of up to two parts: the share of the question's and
    competency's content words the answer uses (two shared stems is full marks), and
    the hits on the built-in lexicon of the competency's kind (four is full marks). With
    only a question the kind is guessed from the question; with neither a question nor a
    competency relevance is 0.5, a neutral value that means "not measured".
    """
    answer = _validate_text(text, "The answer", required=True)
    question = _validate_text(question, "The question", required=False)
    competency = _validate_text(competency, "The competency", required=False)
    description = _validate_text(
        competency_description, "The competency description", required=False
    )
    _refuse_other_language(answer)

    sentences = split_sentences(answer)
    words = _words(answer)
    word_count = len(words)
    narrative = _is_narrative(sentences)
    model = star_model if star_model is not None else load_model()
    star, i_actions, we_actions = _star(sentences, narrative, model)

    specifics = _specificity(answer, sentences, star["result"], word_count)
    ownership = _ownership(i_actions, we_actions, words)
    relevance = _relevance(answer, question, competency, description)
    speaking_seconds = round(word_count * 60 / WORDS_PER_MINUTE)
    hedges = _count_phrases(answer, HEDGE_PHRASES)
    fillers = _count_phrases(answer, dict.fromkeys((*FILLER_PHRASES, *HEDGE_PHRASES)))
    relevance_known = bool(question or competency or description)
    told_steps = star["action"].present or star["result"].present
    suggestions = _suggestions(
        star,
        specifics=specifics,
        ownership=ownership,
        relevance=relevance,
        relevance_known=relevance_known,
        word_count=word_count,
        speaking_seconds=speaking_seconds,
        fillers=fillers,
        no_story=not narrative and not told_steps,
        has_lesson=any(_LESSON.search(_normalise(s)) for s in sentences),
    )
    return AnswerAnalysis(
        star=star,
        specificity=specifics.score,
        score=_score(star, specifics.score, relevance, relevance_known, speaking_seconds),
        ownership=ownership,
        relevance=relevance,
        word_count=word_count,
        speaking_seconds=speaking_seconds,
        filler_words=fillers,
        hedges=hedges,
        suggestions=suggestions,
    )
