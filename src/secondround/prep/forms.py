"""Forms for the candidate's side. They read input; the services decide what is valid."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from secondround.prep import guidance
from secondround.prep.content import KitContent
from secondround.prep.models import StoryKind
from secondround.prep.services import DEFAULT_LINK_DAYS, MAX_LINK_DAYS


def _area(rows: int = 4, **attrs: str) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": str(rows), **attrs})


class PostingForm(forms.Form):
    company_name = forms.CharField(label=_("Company name"), required=False, max_length=150)
    posting_text = forms.CharField(
        label=_("The job posting"),
        widget=_area(14),
        help_text=_("Paste the whole posting, with its headings and bullet points."),
        max_length=30_000,
    )
    company_text = forms.CharField(
        label=_("What you know of the company (optional)"),
        widget=_area(6),
        required=False,
        max_length=30_000,
        help_text=_("Its About page, mission, values, recent news: anything you have found."),
    )


class ResearchForm(forms.Form):
    def __init__(self, *args: Any, content: KitContent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.research = content.research
        for item in content.research:
            self.fields[f"{item.key}-done"] = forms.BooleanField(
                label=_("Done: %(item)s") % {"item": item.label},
                required=False,
                initial=item.done,
            )
            self.fields[f"{item.key}-notes"] = forms.CharField(
                label=_("Your notes: %(item)s") % {"item": item.label},
                required=False,
                widget=_area(2),
                initial=item.notes,
                max_length=4_000,
            )

    def rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        """(research item, its "done" field, its notes field), for the template."""
        return [
            (item, self[f"{item.key}-done"], self[f"{item.key}-notes"]) for item in self.research
        ]

    def items(self) -> dict[str, dict[str, Any]]:
        data = self.cleaned_data
        return {
            key: {"done": data.get(f"{key}-done", False), "notes": data.get(f"{key}-notes", "")}
            for key in guidance.RESEARCH_KEYS
            if f"{key}-notes" in data
        }


class StoryForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=150)
    kind = forms.ChoiceField(label=_("Kind of story"), choices=StoryKind.choices)
    situation = forms.CharField(
        label=_("Situation"), required=False, widget=_area(3),
        help_text=_("Where and when: the context someone needs to follow the story."),
    )  # fmt: skip
    task = forms.CharField(
        label=_("Task"), required=False, widget=_area(2),
        help_text=_("What you had to achieve, and why it mattered."),
    )  # fmt: skip
    action = forms.CharField(
        label=_("Action"), required=False, widget=_area(4),
        help_text=_("What you did, step by step. Say “I”, not only “we”."),
    )  # fmt: skip
    result = forms.CharField(
        label=_("Result"), required=False, widget=_area(2),
        help_text=_("What changed, with a number if you can."),
    )  # fmt: skip
    learned = forms.CharField(
        label=_("What I learned"), required=False, widget=_area(2),
        help_text=_("What you would do again, or differently."),
    )  # fmt: skip
    competencies = forms.MultipleChoiceField(
        label=_("Competencies this story shows"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, content: KitContent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["competencies"].choices = [(n, n) for n in content.competency_names]  # type: ignore[attr-defined]

    def story_fields(self) -> dict[str, str]:
        return {k: v for k, v in self.cleaned_data.items() if k != "competencies"}


class QuestionForm(forms.Form):
    text = forms.CharField(label=_("Your question"), max_length=400)
    topic = forms.CharField(required=False, widget=forms.HiddenInput)


class PracticeForm(forms.Form):
    question_pk = forms.TypedChoiceField(
        label=_("Question"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Likely questions for this role, by competency; or type your own below."),
    )
    question_text = forms.CharField(
        label=_("Or type your own question"), required=False, max_length=1_000
    )
    competency = forms.ChoiceField(label=_("Competency (for your own question)"), required=False)
    answer = forms.CharField(
        label=_("Your answer"),
        widget=_area(10),
        max_length=30_000,
        help_text=_("Answer as you would say it: situation, task, what you did, and the result."),
    )
    seconds = forms.IntegerField(
        label=_("Time taken (seconds, optional)"), required=False, min_value=1, max_value=3_600
    )

    def __init__(self, *args: Any, content: KitContent, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        groups: list[tuple[str, list[tuple[int, str]]]] = [
            (c.name, [(q.pk, q.text) for q in c.questions]) for c in content.competencies
        ]
        self.fields["question_pk"].choices = [  # type: ignore[attr-defined]
            ("", _("— choose a likely question —")),
            *[(name, options) for name, options in groups if options],
        ]
        self.fields["competency"].choices = [  # type: ignore[attr-defined]
            ("", _("— none —")),
            *[(n, n) for n in content.competency_names],
        ]


class InviteLinkForm(forms.Form):
    days = forms.IntegerField(
        label=_("Link works for (days)"),
        min_value=1,
        max_value=MAX_LINK_DAYS,
        initial=DEFAULT_LINK_DAYS,
    )


class KeepForm(forms.Form):
    full_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Email"))
    password = forms.CharField(
        label=_("Password"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 8 characters; not a common password."),
    )
