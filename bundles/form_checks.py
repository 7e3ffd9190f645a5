"""The web forms' checks, applied to a bundle's records before they are created.

A bundle must not carry what a person could not have typed: each agent, KPI, benchmark,
constraint analysis, set of targets and economics record goes through the form the pages use
(the same text, range and consistency rules, in the same words), on top of the models' own
`full_clean`. The first error refuses the bundle, naming the record and the field.
"""

import datetime
from decimal import Decimal

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS

from agents import block2_services
from agents import services as agent_services
from agents.block2_forms import ClassificationForm, WorkloadForm
from agents.forms import AgentForm
from kpis import services as kpi_services
from kpis.forms import AgentKpiForm
from targets import services as target_services
from targets.forms import (
    AmbitionForm,
    BenchmarkForm,
    ConstraintForm,
    EconomicsForm,
    NoEvidenceForm,
    ThresholdForm,
)

from . import format as bundle_format
from .format import BundleError

# The fields each service takes, as the pages' forms post them (workload model and the KPI
# that carries the value are posted by id, below).
AGENT_FIELDS = agent_services.DETAIL_FIELDS
CLASSIFICATION_FIELDS = block2_services.CLASSIFICATION_FIELDS
WORKLOAD_FIELDS = [f for f in block2_services.WORKLOAD_FIELDS if f != "workload_model"]
KPI_FIELDS = kpi_services.KPI_FIELDS
BENCHMARK_FIELDS = target_services.BENCHMARK_FIELDS
CONSTRAINT_FIELDS = target_services.CONSTRAINT_FIELDS
TARGET_FIELDS = target_services.TARGET_FIELDS
ECONOMICS_FIELDS = [f for f in target_services.ECONOMICS_FIELDS if f != "value_kpi"]


def _form_value(value):
    """A record's value as a browser would post it."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return bundle_format.number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _data(record: dict, fields: list[str], **extra) -> dict:
    data = {name: _form_value(record[name]) for name in fields if name in record}
    # A checkbox that is not ticked is not posted at all.
    data = {name: value for name, value in data.items() if value is not False}
    data.update(extra)
    return data


def _check(form: forms.Form, where: str) -> None:
    """Refuse the bundle with the form's first error, naming the record and field."""
    if form.is_valid():
        return
    field, messages = next(iter(form.errors.items()))
    at = where if field == NON_FIELD_ERRORS else f"{where}.{field}"
    raise BundleError(f"The bundle has a wrong value at {at}: {messages[0]}")


def agent_check(record: dict, *, where: str, workshop, workload_model) -> None:
    """Pillar 1 details, Block 2 classification and thesis (once begun) and the workload."""
    _check(AgentForm(_data(record, AGENT_FIELDS), workshop=workshop), where)
    if any(record[name] for name in CLASSIFICATION_FIELDS):
        _check(ClassificationForm(_data(record, CLASSIFICATION_FIELDS, version=1)), where)
    model_pk = workload_model.pk if workload_model is not None else ""
    _check(WorkloadForm(_data(record, WORKLOAD_FIELDS, workload_model=model_pk, version=1)), where)


def kpi_check(record: dict, *, where: str, definition) -> None:
    _check(AgentKpiForm(_data(record, KPI_FIELDS), definition=definition), where)
    _check(AmbitionForm(_data(record, ["good_enough", "transformational"], version=1)), where)


def benchmark_check(record: dict, *, where: str) -> None:
    _check(BenchmarkForm(_data(record, BENCHMARK_FIELDS)), where)


def no_evidence_check(record: dict, *, where: str) -> None:
    _check(NoEvidenceForm({"no_evidence": "on", "reason": record["reason"]}), where)


def constraint_check(record: dict, *, where: str) -> None:
    _check(ConstraintForm(_data(record, CONSTRAINT_FIELDS)), where)


def target_check(record: dict, *, where: str, kpi) -> None:
    _check(ThresholdForm(_data(record, TARGET_FIELDS), kpi=kpi), where)


def economics_check(record: dict, *, where: str, agent, value_kpi) -> None:
    # The record says how its run cost was found: from the workload (tasks a month) or as a
    # monthly amount.
    workload_known = record["model_cost_monthly"] is None
    value_kpi_pk = value_kpi.pk if value_kpi is not None else ""
    form = EconomicsForm(
        _data(record, ECONOMICS_FIELDS, value_kpi=value_kpi_pk),
        agent=agent,
        workload_known=workload_known,
    )
    _check(form, where)
