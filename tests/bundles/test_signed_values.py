import pytest

from bundles import signed_values
from bundles.format import BundleError


def signed(agent_id, kpi_ids, benchmark_ids, value_kpi_id):
    return {
        "canonical_version": 1,
        "agent": {"id": agent_id, "name": "Triage"},
        "currency": "EUR",
        "kpis": [
            {"id": kpi_id, "name": f"KPI {i}", "benchmarks": [{"id": b} for b in benchmarks]}
            for i, (kpi_id, benchmarks) in enumerate(zip(kpi_ids, benchmark_ids, strict=True))
        ],
        "economics": {"value_kpi_id": value_kpi_id, "build_cost": "40000"},
    }


def test_signed_values_ids_become_refs_and_back():
    stored = signed(7, [30, 31], [[50, 51], [52]], 31)
    portable = signed_values.portable(
        stored,
        agents={7: "agent-1"},
        kpis={30: "kpi-1", 31: "kpi-2"},
        benchmarks={50: "benchmark-1", 51: "benchmark-2", 52: "benchmark-3"},
    )
    assert portable == signed(
        "agent-1", ["kpi-1", "kpi-2"], [["benchmark-1", "benchmark-2"], ["benchmark-3"]], "kpi-2"
    )
    local = signed_values.local(
        portable,
        where="signoffs[0].signed_values",
        agent_ref="agent-1",
        agents={"agent-1": 100},
        kpis={"kpi-1": 300, "kpi-2": 301},
        benchmarks={"benchmark-1": 500, "benchmark-2": 501, "benchmark-3": 502},
    )
    assert local == signed(100, [300, 301], [[500, 501], [502]], 301)


def test_signed_values_of_a_deleted_kpi_keep_null():
    stored = signed(7, [29, 30], [[49], [50]], None)
    portable = signed_values.portable(
        stored, agents={7: "agent-1"}, kpis={30: "kpi-1"}, benchmarks={50: "benchmark-1"}
    )
    assert portable == signed("agent-1", [None, "kpi-1"], [[None], ["benchmark-1"]], None)


def test_signed_values_of_another_agent_are_refused():
    portable = signed("agent-2", [], [], None)
    with pytest.raises(BundleError) as caught:
        signed_values.local(
            portable,
            where="signoffs[0].signed_values",
            agent_ref="agent-1",
            agents={"agent-1": 1, "agent-2": 2},
            kpis={},
            benchmarks={},
        )
    assert caught.value.message == (
        "The bundle has a wrong value at signoffs[0].signed_values.agent.id: the values signed "
        "are of another agent."
    )


@pytest.mark.parametrize("values", [[], {"agent": 1}, {"agent": {}, "kpis": [], "economics": None}])
def test_signed_values_of_another_shape_are_refused(values):
    with pytest.raises(BundleError) as caught:
        signed_values.local(
            values, where="signoffs[0].signed_values", agent_ref="agent-1", agents={}, kpis={},
            benchmarks={},
        )  # fmt: skip
    assert caught.value.message == (
        "The bundle has a wrong value at signoffs[0].signed_values: these are not the values of "
        "a finance sign-off."
    )
