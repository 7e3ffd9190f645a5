"""What finance signed, as a bundle carries it.

A sign-off's signed values (targets.signing) name the agent, its KPIs and benchmarks by
database id, and its SHA-256 covers those ids. In a bundle the ids are written as refs; the
importing server writes its own ids back, so a sign-off keeps matching the values it signed.

Pure: no Django import.
"""

import json

from .format import BundleError
from .sections import wrong_value


def _signed_parts(values, where: str):
    """The (agent, kpis, benchmarks, economics) parts of signed values whose ids are mapped."""
    problem = wrong_value(where, "these are not the values of a finance sign-off.")
    if not isinstance(values, dict) or not isinstance(values.get("agent"), dict):
        raise problem
    kpis = values.get("kpis")
    economics = values.get("economics")
    if not isinstance(kpis, list) or not all(isinstance(kpi, dict) for kpi in kpis):
        raise problem
    if economics is not None and not isinstance(economics, dict):
        raise problem
    benchmarks = []
    for kpi in kpis:
        if not isinstance(kpi.get("benchmarks"), list):
            raise problem
        if not all(isinstance(item, dict) and "id" in item for item in kpi["benchmarks"]):
            raise problem
        benchmarks.extend(kpi["benchmarks"])
    if "id" not in values["agent"] or not all("id" in kpi for kpi in kpis):
        raise problem
    if economics is not None and "value_kpi_id" not in economics:
        raise problem
    return values["agent"], kpis, benchmarks, economics


def portable(values: dict, *, agents: dict, kpis: dict, benchmarks: dict) -> dict:
    """Signed values with their database ids replaced by refs ({pk: ref} maps). An id of a
    record deleted since (only in a void sign-off's history) becomes null."""
    values = json.loads(json.dumps(values))
    agent, kpi_parts, benchmark_parts, economics = _signed_parts(values, "signed_values")
    agent["id"] = agents.get(agent["id"])
    for kpi in kpi_parts:
        kpi["id"] = kpis.get(kpi["id"])
    for benchmark in benchmark_parts:
        benchmark["id"] = benchmarks.get(benchmark["id"])
    if economics is not None:
        economics["value_kpi_id"] = kpis.get(economics["value_kpi_id"])
    return values


def local(
    values: dict, *, where: str, agent_ref: str, agents: dict, kpis: dict, benchmarks: dict
) -> dict:
    """Signed values from a bundle with this server's ids ({ref: pk} maps), the KPIs and
    benchmarks in id order as targets.signing writes them."""
    values = json.loads(json.dumps(values))
    agent, kpi_parts, benchmark_parts, economics = _signed_parts(values, where)
    if agent["id"] != agent_ref:
        raise wrong_value(f"{where}.agent.id", "the values signed are of another agent.")

    def local(ref, table: dict, part: str):
        if ref is None:
            return None
        if not isinstance(ref, str) or ref not in table:
            raise wrong_value(f"{where}.{part}", f"“{ref}” is not a record of this bundle.")
        return table[ref]

    agent["id"] = agents[agent_ref]
    for kpi in kpi_parts:
        kpi["id"] = local(kpi["id"], kpis, "kpis.id")
    for benchmark in benchmark_parts:
        benchmark["id"] = local(benchmark["id"], benchmarks, "benchmarks.id")
    if economics is not None:
        economics["value_kpi_id"] = local(economics["value_kpi_id"], kpis, "value_kpi_id")
    if all(kpi["id"] is not None for kpi in kpi_parts):
        kpi_parts.sort(key=lambda kpi: kpi["id"])
    for kpi in kpi_parts:
        if all(item["id"] is not None for item in kpi["benchmarks"]):
            kpi["benchmarks"].sort(key=lambda item: item["id"])
    return values


def _ids_and_rest(values: dict) -> tuple[list[tuple[str, object]], dict]:
    """The (kind, id) pairs of signed values, in order, and the values with every id null."""
    values = json.loads(json.dumps(values))
    agent, kpi_parts, benchmark_parts, economics = _signed_parts(values, "signed_values")
    ids = [("agent", agent["id"])]
    agent["id"] = None
    for kpi in kpi_parts:
        ids.append(("kpi", kpi["id"]))
        kpi["id"] = None
    for benchmark in benchmark_parts:
        ids.append(("benchmark", benchmark["id"]))
        benchmark["id"] = None
    if economics is not None:
        ids.append(("kpi", economics["value_kpi_id"]))
        economics["value_kpi_id"] = None
    return ids, values


def signed_as_carried(signed: dict, carried: dict, *, agent_ref: str) -> bool:
    """Whether the values a signature covers (`signed`, with the signing server's ids) are the
    bundle's `carried` values (with refs): equal once ids are set aside, their ids renamed one
    to one into refs, the agent's into `agent_ref`. A record deleted since (a null ref) may
    stand for any id."""
    try:
        signed_ids, signed_rest = _ids_and_rest(signed)
        carried_ids, carried_rest = _ids_and_rest(carried)
    except BundleError:
        return False
    if signed_rest != carried_rest or len(signed_ids) != len(carried_ids):
        return False
    if carried_ids[0] != ("agent", agent_ref):
        return False
    forward, backward = {}, {}
    for (kind, signed_id), (_, ref) in zip(signed_ids, carried_ids, strict=True):
        if signed_id is None or isinstance(signed_id, bool) or not isinstance(signed_id, int):
            if not (signed_id is None and ref is None and kind == "kpi"):
                return False
            continue
        if ref is None:
            continue
        if forward.setdefault((kind, signed_id), ref) != ref:
            return False
        if backward.setdefault((kind, ref), signed_id) != signed_id:
            return False
    return True
