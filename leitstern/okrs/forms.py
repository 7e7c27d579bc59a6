from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from leitstern.frame.models import Moal
from leitstern.okrs.models import Cycle, KeyResult, KeyResultKind, Objective
from leitstern.orgs.models import Organization, Team


class TeamObjectivesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.team.name}: {obj.title}"


class ObjectiveForm(forms.ModelForm):
    moals = forms.ModelMultipleChoiceField(
        queryset=Moal.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Contributes to these mid-term goals"),
    )
    contributes_to = TeamObjectivesField(
        queryset=Objective.objects.none(),
        required=False,
        label=_("Contributes to objectives of other teams"),
        help_text=_("Alignment, not cascade: say whose objective yours helps."),
    )

    class Meta:
        model = Objective
        fields = ["title", "why", "open_questions", "kind"]
        widgets = {
            "why": forms.Textarea(attrs={"rows": 3}),
            "open_questions": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "title": _("Qualitative and inspiring: what should be different for whom?"),
            "why": _("Why this, why now? It helps others see where they can contribute."),
            "open_questions": _("Not knowing is allowed. What do you want to find out?"),
            "kind": _(
                "Committed: we expect to get there. Aspirational: a stretch, where about "
                "70 percent is a good result."
            ),
        }

    def _choices(self, name: str) -> forms.ModelMultipleChoiceField:
        return cast(forms.ModelMultipleChoiceField, self.fields[name])

    def __init__(
        self, *args: Any, organization: Organization, team: Team, cycle: Cycle, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._choices("moals").queryset = Moal.objects.filter(organization=organization).active()
        others = (
            Objective.objects.filter(organization=organization, cycle=cycle)
            .live()
            .exclude(team=team)
            .select_related("team")
            .order_by("team__name", "title")
        )
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
            self.fields["moals"].initial = list(self.instance.moals.all())
            self.fields["contributes_to"].initial = list(self.instance.contributes_to.all())
        self._choices("contributes_to").queryset = others


class KeyResultForm(forms.ModelForm):
    class Meta:
        model = KeyResult
        fields = [
            "title",
            "hypothesis",
            "kind",
            "unit",
            "baseline",
            "target",
            "commit_level",
            "target_level",
            "stretch_level",
        ]
        widgets = {
            "hypothesis": forms.Textarea(attrs={"rows": 3}),
            "kind": forms.RadioSelect,
            # Text inputs that parse the reader's locale ("12,5" in German).
            "baseline": forms.TextInput(attrs={"inputmode": "decimal"}),
            "target": forms.TextInput(attrs={"inputmode": "decimal"}),
        }
        localized_fields = ("baseline", "target")
        help_texts = {
            "title": _(
                "An outcome: who does what differently, from baseline to target — "
                "not a task or a launch."
            ),
            "hypothesis": _("“We believe that … will lead to … We will see it in …”"),
            "baseline": _("Where the metric stands today."),
            "target": _("Where you expect it if the hypothesis holds."),
            "commit_level": _("For outcomes honest numbers cannot capture: describe levels."),
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == KeyResultKind.METRIC:
            for name in ("baseline", "target"):
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, _("A metric key result needs a baseline and a target."))
            if data.get("baseline") is not None and data.get("baseline") == data.get("target"):
                self.add_error(
                    "target",
                    _(
                        "Baseline and target are the same: the key result would describe no "
                        "change. If the aim is to keep a level, it belongs in the health metrics."
                    ),
                )
        elif data.get("kind") == KeyResultKind.ORDINAL and not data.get("target_level"):
            self.add_error("target_level", _("Describe at least the target level in words."))
        return data

    def domain_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        if data.get("kind") == KeyResultKind.ORDINAL:
            data["baseline"] = data["target"] = None
        return data


class CycleForm(forms.ModelForm):
    class Meta:
        model = Cycle
        fields = ["name", "starts_on", "ends_on"]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }


class IndicatorForm(forms.Form):
    name = forms.CharField(
        label=_("Leading indicator"),
        max_length=200,
        help_text=_("An early signal from the people you serve, e.g. trial activations per week."),
        error_messages={"required": _("Give the leading indicator a name.")},
    )
    unit = forms.CharField(label=_("Unit"), max_length=40, required=False)
