"""Each step of the live contract (the checks `memories doctor` prints), one test per step."""

from __future__ import annotations

import pytest

from memories_integrations._client.contract import STEPS, CheckResult


@pytest.mark.parametrize("step", STEPS)
def test_contract_step(step: str, contract_results: dict[str, CheckResult]) -> None:
    result = contract_results[step]
    assert result.ok, (
        f"{step}: {result.outcome}: {result.detail}\n"
        f"  endpoint: {result.endpoint}\n  sent: {result.sent}\n  answered: {result.shape}"
    )
